import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRelayBus, type Bus, type BusEvent } from './bus.ts';
import type { Logger } from './logger.ts';

const CHANNEL = 'frontdesk:bus';

/** One PUBLISH: the events of one event-loop turn of one node, in the order published. */
interface Envelope {
  node: string;
  events: BusEvent[];
}

/**
 * The bus across nodes through Redis pub/sub (FRONTDESK_BUS_URL=redis://…): each event goes to this
 * node's subscribers at once and to the other nodes by PUBLISH. The events of one turn (a group
 * commit's messages) travel in one PUBLISH, in the order published; one connection publishes them
 * all, so they arrive in that order. Unlike PostgreSQL NOTIFY there is no 8 KB payload limit and the
 * database's commits are not serialized behind the notification queue. A lost message (Redis or a
 * connection down) costs only liveness, as with NOTIFY: clients resume from their last seq.
 */
export async function createRedisBus(deps: { url: string; log: Logger }): Promise<Bus> {
  const { url, log } = deps;
  const node = randomUUID();
  // NOTE: offline queueing off: while Redis is unreachable a publish fails at once (logged) instead of
  // piling up in memory; the subscriber reconnects by itself (ioredis resubscribes).
  const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 } as const;
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
  for (const [name, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    client.on('error', (err: unknown) => log.warn({ err, connection: name }, 'bus: redis connection error'));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const bus = createRelayBus({
    send: (events) => void publisher.publish(CHANNEL, JSON.stringify({ node, events } satisfies Envelope)).catch((err: unknown) => log.warn({ err }, 'bus: publish failed')),
    stop: async () => {
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  });
  subscriber.on('message', (channel: string, payload: string) => {
    if (channel !== CHANNEL) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (err) {
      return log.warn({ err }, 'bus: unreadable message');
    }
    if (envelope.node === node) return;
    bus.receive(envelope.events);
  });
  await subscriber.subscribe(CHANNEL);

  return bus;
}
