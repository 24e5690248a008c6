import { connect } from 'nats';
import { createRelayBus, type Bus, type BusEvent } from './bus.ts';
import type { Logger } from './logger.ts';

const SUBJECT = 'frontdesk.bus';

/**
 * The bus across nodes through NATS core pub/sub (FRONTDESK_BUS_URL=nats://…), the same contract as
 * the Redis bus: each event goes to this node's subscribers at once and to the other nodes in one
 * message per event-loop turn, in the order published. `noEcho` keeps a node's own messages from
 * coming back. NATS refuses a message over its max payload (1 MB by default), logged like any failed
 * publish; as with Redis, a lost message costs only liveness: clients resume from their last seq.
 */
export async function createNatsBus(deps: { url: string; log: Logger }): Promise<Bus> {
  const { url, log } = deps;
  // NOTE: reconnects for ever (a bus outage must not end the node); while disconnected, publishes
  // are buffered by the client up to its reconnect buffer, then dropped with an error.
  const nc = await connect({ servers: url, noEcho: true, maxReconnectAttempts: -1, reconnectTimeWait: 1000, timeout: 5000, name: 'frontdesk' });
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'disconnect' || status.type === 'error') log.warn({ status: status.type, data: String(status.data) }, 'bus: nats connection');
  })();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const bus = createRelayBus({
    send: (events) => {
      try {
        nc.publish(SUBJECT, encoder.encode(JSON.stringify(events)));
      } catch (err) {
        log.warn({ err }, 'bus: publish failed');
      }
    },
    stop: async () => {
      await nc.drain().catch(() => undefined);
    },
  });
  nc.subscribe(SUBJECT, {
    callback: (err, msg) => {
      if (err) return log.warn({ err }, 'bus: subscription error');
      let events: BusEvent[];
      try {
        events = JSON.parse(decoder.decode(msg.data)) as BusEvent[];
      } catch (parseErr) {
        return log.warn({ err: parseErr }, 'bus: unreadable message');
      }
      bus.receive(events);
    },
  });
  // The subscription is known to the server before the first publish of this node (or of others).
  await nc.flush();
  return bus;
}
