import { connect } from 'nats';
import { createRelayBus, packEvents, type Bus, type BusEvent } from './bus.ts';
import type { Logger } from './logger.ts';

const SUBJECT = 'frontdesk.bus';
/** NATS's default max payload, until the server's INFO says otherwise. */
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * The bus across nodes through NATS core pub/sub (FRONTDESK_BUS_URL=nats://…), the same contract as
 * the Redis bus: each event goes to this node's subscribers at once and to the other nodes in one
 * message per event-loop turn (more when the turn passes the server's max payload, 1 MB by default),
 * in the order published. `noEcho` keeps a node's own messages from coming back. As with Redis, a lost
 * message costs only liveness: clients resume from their last seq.
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
  function publish(payload: string): void {
    try {
      nc.publish(SUBJECT, encoder.encode(payload));
    } catch (err) {
      log.warn({ err }, 'bus: publish failed');
    }
  }
  const decoder = new TextDecoder();
  const bus = createRelayBus({
    // NOTE: a turn can pass the max payload (a batch of 256 long messages is several MB): it goes in
    // as many messages as it needs, in order; only an event larger than the payload by itself is lost.
    send: (events) =>
      packEvents(events, (nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES) - 2, {
        batch: (jsons) => publish(`[${jsons.join(',')}]`),
        tooLarge: (event) => log.warn({ type: event.type, maxPayloadBytes: nc.info?.max_payload }, 'bus: event over the NATS max payload dropped'),
      }),
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
