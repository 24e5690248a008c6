import { describe, expect, it } from 'vitest';
import { RETRY_DELAYS_MS, type OutboxEvent } from '../src/modules/webhooks/index.ts';
import { verifyHit } from '../src/modules/webhooks/webhooks.testing.ts';
import { api, seedApp, STORAGES } from './helpers.ts';
import { webhookBed } from './webhook-bed.ts';

/**
 * Webhook delivery through the real server on an injected clock, with real HTTP receivers on
 * 127.0.0.1 (RELIABILITY tests 4 and 6). Events are written to the outbox in a transaction, as
 * business changes do; `tick` moves the clock and runs the workers until nothing is due.
 */

const START = Date.UTC(2026, 0, 5, 10, 0);
const TIMEOUT_MS = 500;

describe.each(STORAGES)('webhooks (%s)', (kind) => {
  const bed = webhookBed(kind, START);

  async function setup() {
    const { clock, server, seeded, key: admin, hooks } = await bed.start({ FRONTDESK_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
    const call = (method: string, route: string, body?: unknown, token = admin) => api(hooks.baseUrl, method, route, { token, body });
    const ok = async (method: string, route: string, body?: unknown) => {
      const res = await call(method, route, body);
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const receiver = () => bed.receiver();
    const subscribe = (url: string, extra: Record<string, unknown> = {}) => ok('POST', '/v1/webhooks/subscriptions', { url, eventTypes: ['transparent.data'], ...extra });
    const event = (data: Record<string, unknown>, orderingKey?: string): OutboxEvent => ({ appId: 'acme', type: 'transparent.data', orderingKey, data });
    const tick = async (ms = 0) => {
      clock.advance(ms);
      await hooks.webhooks.runOnce();
    };
    const deliveries = async (query = '') => (await ok('GET', `/v1/webhooks/deliveries?limit=100${query}`)).deliveries as any[];
    return { clock, server, seeded, admin, call, ok, receiver, subscribe, event, enqueue: hooks.enqueue, tick, deliveries, hooks };
  }

  it('delivers each event signed per Standard Webhooks: the receiver verifies it with the standardwebhooks package', async () => {
    const t = await setup();
    const r = await t.receiver();
    const sub = await t.subscribe(r.url);
    expect(sub.secret).toMatch(/^whsec_/);
    await t.enqueue([t.event({ n: 1 }), t.event({ n: 2 }, 'conv_1')]);
    await t.tick();
    expect(r.hits).toHaveLength(2);
    const log = await t.deliveries();
    expect(new Set(r.hits.map((h) => h.id))).toEqual(new Set(log.map((d) => d.eventId)));
    for (const hit of r.hits) {
      expect(verifyHit(sub.secret, hit)).toEqual({ type: 'transparent.data', timestamp: new Date(START).toISOString(), data: hit.payload.data });
      expect(hit.timestamp).toBe(String(Math.floor(t.clock.now() / 1000)));
      expect(hit.headers['content-type']).toBe('application/json');
      expect(() => verifyHit('whsec_' + Buffer.alloc(32, 1).toString('base64'), hit)).toThrow();
    }
    expect(log.map((d) => ({ status: d.status, attempts: d.attempts, codes: d.attemptLog.map((a: any) => a.statusCode) }))).toEqual([
      { status: 'delivered', attempts: 1, codes: [204] },
      { status: 'delivered', attempts: 1, codes: [204] },
    ]);
  });

  it('a receiver down for 10 minutes gets every event once it is back: unique ids = events, each processed once, each key in order', async () => {
    const t = await setup();
    const r = await t.receiver();
    const sub = await t.subscribe(r.url);
    await r.stop();
    const keys = ['conv_a', 'conv_b', 'conv_c', undefined];
    let n = 0;
    for (let minute = 0; minute < 10; minute++) {
      await t.enqueue(keys.map((key) => t.event({ n: n++, key: key ?? null }, key)));
      await t.tick(30_000);
      await t.tick(30_000);
    }
    expect(r.hits).toHaveLength(0);
    const failed = await t.deliveries();
    expect(failed.every((d) => d.status !== 'delivered' && d.attemptLog.every((a: any) => a.statusCode === null && /ECONNREFUSED/.test(a.error)))).toBe(true);

    await r.restart();
    for (let i = 0; i < 60 && (await t.deliveries('&status=delivered')).length < n; i++) await t.tick(60_000);
    const log = await t.deliveries();
    expect(log.filter((d) => d.status === 'delivered')).toHaveLength(n);
    expect(new Set(r.hits.map((h) => h.id))).toEqual(new Set(log.map((d) => d.eventId)));
    // An idempotent receiver: the first request of an id is processed, repeats are acknowledged only.
    const processed = new Map<string, Record<string, unknown>>();
    for (const hit of r.hits) {
      verifyHit(sub.secret, hit);
      if (!processed.has(hit.id)) processed.set(hit.id, hit.payload.data);
    }
    expect([...processed.values()].map((d) => d.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const key of keys.filter(Boolean)) {
      const order = [...processed.values()].filter((d) => d.key === key).map((d) => d.n as number);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('keeps each ordering key in order while the receiver fails now and then', async () => {
    const t = await setup();
    const r = await t.receiver();
    await t.subscribe(r.url);
    r.respond = (_hit, index) => ({ status: index % 3 === 1 ? 500 : 204 });
    const keys = ['conv_x', 'conv_y', 'conv_z'];
    for (let n = 0; n < 8; n++) await t.enqueue(keys.map((key) => t.event({ n, key }, key)));
    for (let i = 0; i < 60 && (await t.deliveries('&status=delivered')).length < 24; i++) await t.tick(60_000);
    expect(await t.deliveries('&status=delivered')).toHaveLength(24);
    expect(r.hits.filter((h) => h.id).length).toBeGreaterThan(24);
    for (const key of keys) {
      // Every request of the key, failures included, never goes back to an earlier event.
      const sequence = r.hits.filter((h) => h.payload.data.key === key).map((h) => h.payload.data.n as number);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect([...new Set(sequence)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
  });

  it('410 disables the subscription; enabling it resumes its waiting deliveries', async () => {
    const t = await setup();
    const r = await t.receiver();
    const sub = await t.subscribe(r.url);
    r.respond = () => ({ status: 410 });
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    expect(r.hits).toHaveLength(1);
    expect(await t.ok('GET', `/v1/webhooks/subscriptions/${sub.id}`)).toMatchObject({ enabled: false, disabledReason: 'gone' });
    await t.enqueue([t.event({ n: 2 })]);
    for (let i = 0; i < 5; i++) await t.tick(10_000);
    expect(r.hits).toHaveLength(1);
    const [delivery] = await t.deliveries();
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery.attemptLog[0].statusCode).toBe(410);

    r.respond = () => ({ status: 204 });
    expect(await t.ok('POST', `/v1/webhooks/subscriptions/${sub.id}/enable`)).toMatchObject({ enabled: true, disabledReason: null });
    await t.tick(10_000);
    expect(r.hits).toHaveLength(2);
    expect(await t.deliveries()).toMatchObject([{ status: 'delivered', attempts: 2 }]);
  });

  it('429 with Retry-After: the next attempt waits at least that long', async () => {
    const t = await setup();
    const r = await t.receiver();
    await t.subscribe(r.url);
    r.respond = (_hit, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 204 });
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    const [delivery] = await t.deliveries();
    expect(delivery).toMatchObject({ status: 'failed', nextAttemptAt: delivery.attemptLog[0].at + 120_000 });
    for (let i = 0; i < 11; i++) await t.tick(10_000);
    expect(r.hits).toHaveLength(1);
    await t.tick(10_000);
    expect(r.hits).toHaveLength(2);
    expect((await t.deliveries())[0].status).toBe('delivered');
  });

  it('a 3xx is a failure and is never followed', async () => {
    const t = await setup();
    const r = await t.receiver();
    const elsewhere = await t.receiver();
    await t.subscribe(r.url);
    r.respond = (_hit, index) => ({ status: index === 0 ? 302 : 307, headers: { location: elsewhere.url } });
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    await t.tick(6_000);
    const [delivery] = await t.deliveries();
    expect(delivery.status).toBe('failed');
    expect(delivery.attemptLog.map((a: any) => a.statusCode)).toEqual([302, 307]);
    expect(elsewhere.hits).toHaveLength(0);
  });

  it('a receiver slower than the timeout is a failed attempt; the retry goes through', async () => {
    const t = await setup();
    const r = await t.receiver();
    await t.subscribe(r.url);
    r.respond = (_hit, index) => ({ status: 204, delayMs: index === 0 ? TIMEOUT_MS * 3 : 0 });
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    const [slow] = await t.deliveries();
    expect(slow.status).toBe('failed');
    expect(slow.attemptLog[0]).toMatchObject({ statusCode: null, error: `timed out after ${TIMEOUT_MS} ms` });
    expect(slow.attemptLog[0].latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    await t.tick(6_000);
    expect((await t.deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('after the last retry (about 3 days) a delivery is exhausted, shown in the log, the owner told on its other subscription, and a replay sends it again with the same id', async () => {
    const t = await setup();
    const r = await t.receiver();
    const failing = await t.subscribe(r.url, { eventTypes: null });
    // The owner's alerting endpoint: told when a delivery of another subscription is exhausted.
    const alerts = await t.receiver();
    await t.subscribe(alerts.url, { eventTypes: ['webhook.delivery_exhausted'] });
    r.respond = () => ({ status: 500, body: 'x'.repeat(5000) });
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    for (let i = 0; i < RETRY_DELAYS_MS.length; i++) {
      const [delivery] = await t.deliveries();
      await t.tick(delivery.nextAttemptAt - t.clock.now());
    }
    const [exhausted] = await t.deliveries('&status=exhausted');
    expect(exhausted).toMatchObject({ attempts: 10, nextAttemptAt: null });
    expect(exhausted.attemptLog).toHaveLength(10);
    expect(exhausted.attemptLog[0].responseExcerpt).toHaveLength(1024);
    const gaps = exhausted.attemptLog.slice(1).map((a: any, i: number) => a.at - exhausted.attemptLog[i].at);
    gaps.forEach((gap: number, i: number) => {
      expect(gap).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[i]! * 0.9);
      expect(gap).toBeLessThanOrEqual(RETRY_DELAYS_MS[i]! * 1.1);
    });
    await t.tick(7 * 86_400_000);
    expect(r.hits).toHaveLength(10);
    // Told once, on the other subscription only (the failing one, subscribed to everything, is not sent it).
    expect(alerts.hits.map((h) => h.payload)).toEqual([
      {
        type: 'webhook.delivery_exhausted',
        timestamp: expect.any(String),
        data: expect.objectContaining({ subscriptionId: failing.id, url: r.url, deliveryId: exhausted.id, eventId: exhausted.eventId, eventType: 'transparent.data', attempts: 10, lastStatusCode: 500 }),
      },
    ]);

    r.respond = () => ({ status: 200 });
    expect(await t.ok('POST', `/v1/webhooks/deliveries/${exhausted.id}/replay`)).toMatchObject({ status: 'pending', attempts: 0 });
    await t.tick();
    expect(await t.ok('GET', `/v1/webhooks/deliveries/${exhausted.id}`)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(new Set(r.hits.map((h) => h.id))).toEqual(new Set([exhausted.eventId]));
  });

  it('after a secret rotation both signatures are sent for 24 h, then only the new one', async () => {
    const t = await setup();
    const r = await t.receiver();
    const sub = await t.subscribe(r.url);
    const rotated = await t.ok('POST', `/v1/webhooks/subscriptions/${sub.id}/rotate-secret`);
    expect(rotated.secret).not.toBe(sub.secret);
    expect(rotated.previousSecretExpiresAt).toBe(t.clock.now() + 86_400_000);
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    expect(r.hits[0]!.signature.split(' ')).toHaveLength(2);
    expect(verifyHit(sub.secret, r.hits[0]!)).toBeTruthy();
    expect(verifyHit(rotated.secret, r.hits[0]!)).toBeTruthy();

    await t.tick(86_400_000 + 1000);
    await t.enqueue([t.event({ n: 2 })]);
    await t.tick();
    expect(r.hits[1]!.signature.split(' ')).toHaveLength(1);
    expect(verifyHit(rotated.secret, r.hits[1]!)).toBeTruthy();
    expect(() => verifyHit(sub.secret, r.hits[1]!)).toThrow(/signature/i);
    expect(JSON.stringify(await t.ok('GET', `/v1/webhooks/subscriptions/${sub.id}`))).not.toContain('whsec_');
  });

  it('subscriptions: URL checks, event filter, update, disable and delete', async () => {
    const t = await setup();
    for (const url of ['ftp://example.com/hook', 'http://user:pw@example.com/hook', 'not a url', 'javascript:alert(1)']) {
      const res = await t.call('POST', '/v1/webhooks/subscriptions', { url });
      expect([res.status, res.body.error.code]).toEqual([400, 'FD_WEBHOOK_URL_INVALID']);
    }
    expect((await t.call('POST', '/v1/webhooks/subscriptions', { url: 'http://127.0.0.1:9/hook', eventTypes: ['nope'] })).body.error.code).toBe('FD_REQ_INVALID');
    const r = await t.receiver();
    const messagesOnly = await t.subscribe(r.url, { eventTypes: ['message.created'] });
    expect(messagesOnly).toMatchObject({ enabled: true, eventTypes: ['message.created'], url: r.url });
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    expect(r.hits).toHaveLength(0);

    expect(await t.ok('PATCH', `/v1/webhooks/subscriptions/${messagesOnly.id}`, { eventTypes: null, description: 'all' })).toMatchObject({ eventTypes: null, description: 'all' });
    await t.enqueue([t.event({ n: 2 })]);
    await t.tick();
    expect(r.hits.map((h) => h.payload.data.n)).toEqual([2]);

    expect(await t.ok('POST', `/v1/webhooks/subscriptions/${messagesOnly.id}/disable`)).toMatchObject({ enabled: false, disabledReason: 'admin' });
    await t.enqueue([t.event({ n: 3 })]);
    await t.tick(1000);
    expect(r.hits).toHaveLength(1);
    expect((await t.ok('GET', '/v1/webhooks/subscriptions')).subscriptions).toHaveLength(1);
    expect((await t.call('DELETE', `/v1/webhooks/subscriptions/${messagesOnly.id}`)).status).toBe(204);
    expect((await t.call('GET', `/v1/webhooks/subscriptions/${messagesOnly.id}`)).status).toBe(404);
    expect(await t.deliveries()).toEqual([]);
  });

  it('replays an event range to a subscription, including events from before it existed', async () => {
    const t = await setup();
    const r = await t.receiver();
    await t.enqueue([t.event({ n: 1 }), t.event({ n: 2 })]);
    await t.tick(60_000);
    const sub = await t.subscribe(r.url);
    await t.enqueue([t.event({ n: 3 })]);
    await t.tick();
    expect(r.hits.map((h) => h.payload.data.n)).toEqual([3]);
    const replay = await t.ok('POST', '/v1/webhooks/replay', { subscriptionId: sub.id, fromMs: START, toMs: t.clock.now() });
    expect(replay).toEqual({ count: 3, nextFromMs: null });
    await t.tick();
    expect(r.hits.map((h) => h.payload.data.n).sort()).toEqual([1, 2, 3, 3]);
    expect((await t.call('POST', '/v1/webhooks/replay', { subscriptionId: sub.id, fromMs: 10, toMs: 5 })).status).toBe(400);
  });

  it("tenant isolation: another app's admin cannot see or replay this app's subscriptions or deliveries (404)", async () => {
    const t = await setup();
    const r = await t.receiver();
    const sub = await t.subscribe(r.url);
    await t.enqueue([t.event({ n: 1 })]);
    await t.tick();
    const [delivery] = await t.deliveries();
    const beta = await seedApp(t.server, 'beta');
    const asBeta = (method: string, route: string, body?: unknown) => t.call(method, route, body, beta.admin.token);
    expect((await asBeta('GET', '/v1/webhooks/subscriptions')).body).toEqual({ subscriptions: [] });
    expect((await asBeta('GET', '/v1/webhooks/deliveries')).body).toEqual({ deliveries: [], nextAfter: null });
    const refused = [
      await asBeta('GET', `/v1/webhooks/subscriptions/${sub.id}`),
      await asBeta('PATCH', `/v1/webhooks/subscriptions/${sub.id}`, { description: 'mine' }),
      await asBeta('POST', `/v1/webhooks/subscriptions/${sub.id}/rotate-secret`),
      await asBeta('POST', `/v1/webhooks/subscriptions/${sub.id}/disable`),
      await asBeta('POST', `/v1/webhooks/subscriptions/${sub.id}/enable`),
      await asBeta('DELETE', `/v1/webhooks/subscriptions/${sub.id}`),
      await asBeta('GET', `/v1/webhooks/deliveries?subscriptionId=${sub.id}`),
      await asBeta('GET', `/v1/webhooks/deliveries?after=${delivery.id}`),
      await asBeta('GET', `/v1/webhooks/deliveries/${delivery.id}`),
      await asBeta('POST', `/v1/webhooks/deliveries/${delivery.id}/replay`),
      await asBeta('POST', '/v1/webhooks/replay', { subscriptionId: sub.id, fromMs: 0, toMs: t.clock.now() }),
    ];
    expect(refused.map((res) => res.status)).toEqual(refused.map(() => 404));
    expect(await t.ok('GET', `/v1/webhooks/subscriptions/${sub.id}`)).toMatchObject({ enabled: true, description: '' });
    expect(await t.deliveries()).toMatchObject([{ id: delivery.id, status: 'delivered', attempts: 1 }]);
    // Agents below admin are refused too.
    expect((await t.call('GET', '/v1/webhooks/subscriptions', undefined, t.seeded.agent1.token)).status).toBe(403);
  });
});
