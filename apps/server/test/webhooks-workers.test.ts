import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhooks, WEBHOOK_DELIVERY_JOB, type OutboxEvent, type Webhooks } from '../src/modules/webhooks/index.ts';
import { fanOutBatch } from '../src/modules/webhooks/fan-out.ts';
import type { DeliveryPayload } from '../src/modules/webhooks/webhooks.repository.ts';
import { claimJobs } from '../src/platform/jobs/index.ts';
import { serverWebhooks, startReceiver, type Receiver } from '../src/modules/webhooks/webhooks.testing.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

/**
 * Delivery workers on several nodes (instances on one database, as nodes share PostgreSQL):
 * one attempt is never sent twice at once, and a node that dies holding deliveries (kill -9
 * between the commit and the send) leaves them to the others once their lease lapses.
 */
describe.each(STORAGES)('webhook workers on one database (%s)', (kind) => {
  let server: TestServer | undefined;
  let other: Webhooks | undefined;
  let receiver: Receiver | undefined;

  afterEach(async () => {
    await receiver?.close();
    await other?.close();
    await server?.close();
    server = other = receiver = undefined;
  });

  async function setup() {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10));
    server = await startTestServer(kind, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, { clock });
    await seedApp(server, 'acme');
    const deps = { concurrency: 16, maxInFlightPerSubscription: 16, random: () => 0.5 };
    const first = serverWebhooks(server, clock);
    const second = (other = createWebhooks({ storage: server.app.storage, clock, log: server.app.log, allowPrivateTargets: true, ...deps }));
    second.start();
    const r = (receiver = await startReceiver());
    const subscription = await first.webhooks.createSubscription('acme', { url: r.url, eventTypes: ['transparent.data'] });
    return { clock, first, second, receiver: r, subscription };
  }

  it('two worker instances never send one attempt twice: hits per webhook-id = attempts logged', async () => {
    const t = await setup();
    // Every fifth event fails its first attempt, so retries run under concurrency too.
    const failsFirst = (id: string) => createHash('sha1').update(id).digest()[0]! % 5 === 0;
    const seen = new Set<string>();
    t.receiver.respond = (hit) => {
      const first = !seen.has(hit.id);
      seen.add(hit.id);
      return { status: first && failsFirst(hit.id) ? 500 : 204, delayMs: hit.body.length % 3 };
    };
    const events: OutboxEvent[] = [];
    for (let n = 0; n < 600; n++) {
      const key = n % 4 === 0 ? undefined : `conv_${n % 30}`;
      events.push({ appId: 'acme', type: 'transparent.data', orderingKey: key, data: { n, key: key ?? null } });
    }
    for (let i = 0; i < events.length; i += 50) await t.first.enqueue(events.slice(i, i + 50));

    for (let round = 0; round < 10 && seen.size < events.length; round++) {
      t.clock.advance(round === 0 ? 0 : 6_000);
      await Promise.all([t.first.webhooks.runOnce(), t.second.runOnce()]);
    }
    for (let round = 0; round < 3; round++) {
      t.clock.advance(6_000);
      await Promise.all([t.first.webhooks.runOnce(), t.second.runOnce()]);
    }
    const log = [];
    let after: string | undefined;
    do {
      const page = await t.first.webhooks.listDeliveries('acme', { limit: 100, ...(after ? { after } : {}) });
      log.push(...page.deliveries);
      after = page.nextAfter ?? undefined;
    } while (after);
    expect(log).toHaveLength(events.length);
    expect(log.filter((d) => d.status !== 'delivered')).toEqual([]);
    const hitsById = new Map<string, number>();
    for (const hit of t.receiver.hits) hitsById.set(hit.id, (hitsById.get(hit.id) ?? 0) + 1);
    for (const delivery of log) {
      expect([delivery.eventId, hitsById.get(delivery.eventId)]).toEqual([delivery.eventId, delivery.attemptLog.length]);
      expect([delivery.eventId, delivery.attemptLog.length]).toEqual([delivery.eventId, failsFirst(delivery.eventId) ? 2 : 1]);
    }
    for (let k = 0; k < 30; k++) {
      const sequence = t.receiver.hits.filter((h) => h.payload.data.key === `conv_${k}`).map((h) => h.payload.data.n as number);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    }
  });

  it('a node that died holding a delivery (kill -9 between commit and send) leaves it to another node once the lease lapses', async () => {
    const t = await setup();
    await t.first.enqueue([{ appId: 'acme', type: 'transparent.data', orderingKey: 'conv_1', data: { n: 1 } }]);
    // The dead node fanned the event out and leased its delivery, then was killed before the send.
    await fanOutBatch(server!.app.storage, t.clock);
    const leased = await claimJobs<DeliveryPayload>(server!.app.storage, { kind: WEBHOOK_DELIVERY_JOB, owner: 'node_dead', nowMs: t.clock.now(), leaseMs: 45_000, limit: 10, excludeGroups: [] });
    expect(leased).toHaveLength(1);
    const both = () => Promise.all([t.first.webhooks.runOnce(), t.second.runOnce()]);
    await both();
    t.clock.advance(44_000);
    await both();
    expect(t.receiver.hits).toHaveLength(0);
    t.clock.advance(2_000);
    await both();
    expect(t.receiver.hits.map((h) => h.id)).toEqual([leased[0]!.payload.eventId]);
    const [delivery] = (await t.first.webhooks.listDeliveries('acme', {})).deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
