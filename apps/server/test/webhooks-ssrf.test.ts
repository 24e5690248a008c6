import { afterEach, describe, expect, it } from 'vitest';
import { createWebhooks, type Webhooks } from '../src/modules/webhooks/index.ts';
import { serverWebhooks, startCanary, startReceiver, type Receiver } from '../src/modules/webhooks/webhooks.testing.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

/**
 * SSRF guard (RELIABILITY test 13): webhook URLs to loopback, private, link-local, metadata and
 * meta addresses, in every spelling, by a name that resolves to loopback, or through a redirect,
 * never reach a loopback canary. Private targets are refused both when a subscription is saved
 * and at connect time (request-filtering-agent), so rows saved under a laxer setting are safe too.
 */
describe.each(STORAGES)('webhooks SSRF guard (%s)', (kind) => {
  let server: TestServer | undefined;
  let lax: Webhooks | undefined;
  const closers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    await lax?.close();
    await server?.close();
    server = lax = undefined;
  });

  it('refuses private targets when saving and when connecting: nothing reaches the loopback canary', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10));
    // 127.0.0.2 is the operator-allowed exception: it hosts a redirector to the canary.
    server = await startTestServer(kind, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', FRONTDESK_WEBHOOK_ALLOWED_TARGETS: '127.0.0.2' }, { clock });
    const seeded = await seedApp(server, 'acme');
    const canary = await startCanary();
    closers.push(canary.close);
    const redirector: Receiver = await startReceiver({ host: '127.0.0.2' });
    closers.push(redirector.close);
    redirector.respond = () => ({ status: 302, headers: { location: `http://127.0.0.1:${canary.port}/` } });
    const strict = serverWebhooks(server, clock);
    const key = (await api(server.url, 'POST', '/v1/app/api-keys', { token: seeded.admin.token, body: { name: 'ssrf' } })).body.key as string;
    const create = (url: string) => api(strict.baseUrl, 'POST', '/v1/webhooks/subscriptions', { token: key, body: { url, eventTypes: ['transparent.data'] } });

    const p = canary.port;
    const privateTargets = [
      `http://127.0.0.1:${p}/`,
      `http://[::1]:${p}/`,
      `http://0.0.0.0:${p}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      `http://2130706433:${p}/`,
      `http://0x7f.1:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://localhost:${p}/`,
    ];
    for (const url of privateTargets) {
      const res = await create(url);
      expect([url, res.status, res.body.error?.code]).toEqual([url, 400, 'FD_WEBHOOK_URL_NOT_ALLOWED']);
    }
    const viaRedirect = await create(`${redirector.url}`);
    expect(viaRedirect.status).toBe(201);

    // The same targets saved while private targets were allowed (or by an older version), then
    // delivered with the guard on: refused at connect time. A name is only resolved there.
    lax = createWebhooks({ storage: server.app.storage, clock, log: server.app.log, allowPrivateTargets: true });
    const saved = [];
    for (const url of privateTargets.filter((u) => !u.includes('0.0.0.0'))) saved.push(await lax.createSubscription('acme', { url, eventTypes: ['transparent.data'] }));
    // 0.0.0.0 is refused even when private targets are allowed: put it straight into the row.
    const meta = await lax.createSubscription('acme', { url: `http://127.0.0.1:${p}/meta`, eventTypes: ['transparent.data'] });
    await server.app.storage.db.updateTable('webhook_subscriptions').set({ url: `http://0.0.0.0:${p}/` }).where('id', '=', meta.id).execute();

    await strict.enqueue([{ appId: 'acme', type: 'transparent.data', data: { probe: true } }]);
    for (let i = 0; i < 3; i++) {
      clock.advance(i === 0 ? 0 : 6_000);
      await strict.webhooks.runOnce();
    }
    const { deliveries } = await strict.webhooks.listDeliveries('acme', { limit: 100 });
    expect(deliveries).toHaveLength(saved.length + 2);
    expect(deliveries.every((d) => d.status === 'failed' && d.attemptLog.length >= 1)).toBe(true);
    const bySubscription = new Map(deliveries.map((d) => [d.subscriptionId, d]));
    for (const sub of [...saved, meta]) {
      const attempts = bySubscription.get(sub.id)!.attemptLog;
      for (const attempt of attempts) expect([sub.url, attempt.statusCode, attempt.error]).toEqual([sub.url, null, expect.stringMatching(/not allowed/)]);
    }
    // The redirect is answered, not followed: a failed attempt with its 302.
    expect(bySubscription.get(viaRedirect.body.id)!.attemptLog.map((a) => a.statusCode)).toContain(302);
    expect(redirector.hits.length).toBeGreaterThanOrEqual(1);
    expect(canary.connections()).toBe(0);
  });
});
