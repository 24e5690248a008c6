import { randomUUID } from 'node:crypto';
import type { Conversation, Message } from '@frontdesk/protocol';
import { createInProcessBus, type Bus, type BusEvent } from './bus.ts';
import type { Logger } from './logger.ts';
import type { Storage } from './storage/storage.ts';

const CHANNEL = 'frontdesk_bus';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900;

/** A message too large to travel in a notification: receivers read it from storage. */
export interface MessageRef {
  appId: string;
  conversationId: string;
  seq: number;
}

type Envelope = { node: string; event: BusEvent } | { node: string; ref: MessageRef };

/**
 * The bus across nodes sharing one PostgreSQL: each event goes to this node's subscribers at
 * once and to the other nodes by NOTIFY (in the order published: one connection sends them all).
 * A lost notification costs only liveness: clients resume from their last seq.
 */
export async function createPostgresBus(deps: {
  storage: Storage;
  log: Logger;
  loadMessage: (ref: MessageRef) => Promise<{ conversation: Conversation; message: Message } | undefined>;
}): Promise<Bus> {
  const { storage, log, loadMessage } = deps;
  const local = createInProcessBus();
  const node = randomUUID();
  const unlisten = await storage.listen(
    CHANNEL,
    (payload) => {
      const envelope = JSON.parse(payload) as Envelope;
      if (envelope.node === node) return;
      if ('event' in envelope) return local.publish(envelope.event);
      loadMessage(envelope.ref)
        .then((found) => found && local.publish({ type: 'message.created', ...found }))
        .catch((err) => log.warn({ err }, 'bus: loading a message failed'));
    },
    () => {},
  );
  return {
    publish(event) {
      local.publish(event);
      let payload = JSON.stringify({ node, event } satisfies Envelope);
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
        if (event.type !== 'message.created') return log.warn({ type: event.type }, 'bus: event too large to send to other nodes');
        payload = JSON.stringify({ node, ref: { appId: event.conversation.appId, conversationId: event.conversation.id, seq: event.message.seq } } satisfies Envelope);
      }
      storage.notify(CHANNEL, payload).catch((err) => log.warn({ err }, 'bus: notify failed'));
    },
    subscribe: local.subscribe,
    async close() {
      await unlisten();
      await local.close();
    },
  };
}
