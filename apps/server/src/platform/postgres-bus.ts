import { randomUUID } from 'node:crypto';
import type { Conversation, Message } from '@frontdesk/protocol';
import { createRelayBus, packEvents, type Bus, type BusEvent } from './bus.ts';
import type { Logger } from './logger.ts';
import type { Storage } from './storage/storage.ts';

/** The NOTIFY channel of the bus (tests listen on it to tell which bus carried an event). */
export const BUS_NOTIFY_CHANNEL = 'frontdesk_bus';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900;

/** A message too large to travel in a notification: receivers read it from storage. */
export interface MessageRef {
  appId: string;
  conversationId: string;
  seq: number;
}

/** One slice of an event too large for one notification: base64 of its UTF-8 JSON, sent in order. */
interface Part {
  id: string;
  index: number;
  count: number;
  data: string;
}

type Envelope =
  | { node: string; event: BusEvent }
  | { node: string; events: BusEvent[] }
  | { node: string; ref: MessageRef }
  | { node: string; part: Part }
  /** A node that starts (or listens again) says so; the others answer `here`. */
  | { node: string; hello: true }
  | { node: string; here: true };

/** Characters of base64 per part: with the envelope, well under the 8000-byte NOTIFY limit. */
const PART_CHARS = 7000;
/** Parts of an event still incomplete after this are dropped (their notifications were lost). */
const PART_TTL_MS = 30_000;
/** Every node says `here` this often; one not heard from for `PEER_TTL_MS` is taken to be gone. */
const HEARTBEAT_MS = 10_000;
const PEER_TTL_MS = 30_000;
/** A node that has just started sends its events before it has heard from the others. */
const STARTING_MS = 2_000;

/**
 * The bus across nodes sharing one PostgreSQL: each event goes to this node's subscribers at
 * once and to the other nodes by NOTIFY (in the order published: one connection sends them all).
 * A lost notification costs only liveness: clients resume from their last seq. An event larger
 * than a notification is sent as a reference (a stored message) or in ordered parts (anything else).
 *
 * Events are sent only while another node is there to hear them: nodes say `hello` when they start
 * and `here` every 10 s, and a node alone on its database (most deployments on PostgreSQL) sends
 * none. NOTE: the NOTIFY of a turn's events (their JSON, a round trip, a commit of PostgreSQL's
 * notification queue) was about a third of a lone node's event-loop time a send, and of
 * PostgreSQL's CPU (bench/README.md, round 15). A node that starts beside others hears their answer
 * to its `hello` within milliseconds, long before its first socket; meanwhile (`STARTING_MS`) it
 * sends everything.
 */
export async function createPostgresBus(deps: {
  storage: Storage;
  log: Logger;
  loadMessage: (ref: MessageRef) => Promise<{ conversation: Conversation; message: Message } | undefined>;
}): Promise<Bus> {
  const { storage, log, loadMessage } = deps;
  const node = randomUUID();
  const hello = JSON.stringify({ node, hello: true } satisfies Envelope);
  const here = JSON.stringify({ node, here: true } satisfies Envelope);
  // NOTE: monotonic time: a step of the wall clock must neither silence this node nor keep a gone peer.
  const startedAt = performance.now();
  /** Other nodes on this database, by when they were last heard from. */
  const peers = new Map<string, number>();
  const partial = new Map<string, { parts: string[]; received: number; since: number }>();

  /** Collects the parts of a large event; answers it once the last one has come. */
  function assemble(from: string, part: Part): BusEvent | undefined {
    const now = Date.now();
    for (const [key, entry] of partial) if (now - entry.since > PART_TTL_MS) partial.delete(key);
    const key = `${from}:${part.id}`;
    const entry = partial.get(key) ?? { parts: new Array<string>(part.count), received: 0, since: now };
    if (entry.parts[part.index] === undefined) entry.received += 1;
    entry.parts[part.index] = part.data;
    if (entry.received < part.count) {
      partial.set(key, entry);
      return undefined;
    }
    partial.delete(key);
    return JSON.parse(Buffer.from(entry.parts.join(''), 'base64').toString('utf8')) as BusEvent;
  }

  // One NOTIFY for the events of a turn, or as few as fit.
  const bus = createRelayBus({
    send: notifyAll,
    stop: async () => {
      clearInterval(heartbeat);
      await unlisten();
    },
  });
  // Every envelope starts with its node (its first key): this node's own come back too, and are
  // skipped without parsing them.
  const own = `{"node":${JSON.stringify(node)}`;
  const unlisten = await storage.listen(
    BUS_NOTIFY_CHANNEL,
    (payload) => {
      if (payload.startsWith(own)) return;
      const envelope = JSON.parse(payload) as Envelope;
      peers.set(envelope.node, performance.now());
      if ('hello' in envelope) return send(here);
      if ('here' in envelope) return;
      if ('events' in envelope) return bus.receive(envelope.events);
      if ('event' in envelope) return bus.receive([envelope.event]);
      if ('part' in envelope) {
        const event = assemble(envelope.node, envelope.part);
        return event && bus.receive([event]);
      }
      loadMessage(envelope.ref)
        .then((found) => found && bus.receive([{ type: 'message.created', ...found }]))
        .catch((err) => log.warn({ err }, 'bus: loading a message failed'));
    },
    // Listening again after a lost connection: the others may have taken this node for gone.
    () => send(hello),
  );
  send(hello);
  const heartbeat = setInterval(() => send(here), HEARTBEAT_MS).unref();

  /** Whether another node may be listening (or this one has only just started). */
  function heard(): boolean {
    const now = performance.now();
    if (now - startedAt < STARTING_MS) return true;
    for (const [peer, at] of peers) {
      if (now - at < PEER_TTL_MS) return true;
      peers.delete(peer);
    }
    return false;
  }
  function send(payload: string): void {
    storage.notify(BUS_NOTIFY_CHANNEL, payload).catch((err) => log.warn({ err }, 'bus: notify failed'));
  }

  /** The events of one turn in as few notifications as fit, in order. */
  function notifyAll(events: BusEvent[]): void {
    if (!heard()) return;
    const head = `${own},"events":[`;
    packEvents(events, MAX_PAYLOAD_BYTES - Buffer.byteLength(head) - 2, { batch: (jsons) => send(`${head}${jsons.join(',')}]}`), tooLarge: sendLarge });
  }

  /** An event larger than a notification: a stored message is read by the receivers; anything else (transparent data of up to 8 KiB…) goes in parts. */
  function sendLarge(event: BusEvent, json: string): void {
    if (event.type === 'message.created') {
      return send(JSON.stringify({ node, ref: { appId: event.conversation.appId, conversationId: event.conversation.id, seq: event.message.seq } } satisfies Envelope));
    }
    const data = Buffer.from(json, 'utf8').toString('base64');
    const id = randomUUID();
    const count = Math.ceil(data.length / PART_CHARS);
    for (let index = 0; index < count; index++) {
      send(JSON.stringify({ node, part: { id, index, count, data: data.slice(index * PART_CHARS, (index + 1) * PART_CHARS) } } satisfies Envelope));
    }
  }

  return bus;
}
