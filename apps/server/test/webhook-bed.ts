import { afterEach } from 'vitest';
import { serverWebhooks, startReceiver, type Receiver } from '../src/modules/webhooks/webhooks.testing.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, startTestServer, type StorageKind, type TestServer } from './helpers.ts';

/**
 * The bench of the webhook tests: a real server on an injected clock that may send webhooks to
 * loopback, the app `acme` with an admin API key (session tokens would expire as the clock runs for
 * days), the server's own webhook workers, and loopback receivers; all closed after each test.
 * Call inside a `describe`.
 */
export function webhookBed(kind: StorageKind, startMs: number) {
  let server: TestServer | undefined;
  const receivers: Receiver[] = [];

  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await server?.close();
    server = undefined;
  });

  return {
    async start(env: Record<string, string> = {}) {
      const clock = new ManualClock(startMs);
      server = await startTestServer(kind, { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', ...env }, { clock });
      const seeded = await seedApp(server, 'acme');
      const key = (await api(server.url, 'POST', '/v1/app/api-keys', { token: seeded.admin.token, body: { name: 'webhooks' } })).body.key as string;
      return { clock, server, seeded, key, hooks: serverWebhooks(server, clock) };
    },
    async receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
      const r = await startReceiver(options);
      receivers.push(r);
      return r;
    },
  };
}
