/**
 * The server of bench/channels, in its own process (the load generator does not share its event
 * loop): the production app (`buildApp`) on a fresh SQLite data dir (or BENCH_DATABASE_URL), one
 * app with an admin, on 127.0.0.1. Tells its parent the URL over IPC, and its CPU time when asked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-bench-channels-'));
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  FRONTDESK_DATA_DIR: dataDir,
  FRONTDESK_MEDIA: 'off',
  FRONTDESK_LOG_LEVEL: 'warn',
  FRONTDESK_PUBLIC_URL: 'http://127.0.0.1:9',
  FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
});
const app = await buildApp(config);
const url = await app.listen();
await app.services.tenancy.createApp({ id: 'bench', name: 'bench' });
await app.services.identity.createAgent('bench', { email: 'admin@bench.test', password: 'correct horse battery', role: 'admin', mediaTypes: ['chat'], maxConcurrentChats: 5 });
process.send?.({ url });
process.on('message', (message: unknown) => {
  // The server's own CPU time (user + system, µs): what one message costs, whatever else runs on the machine.
  if (message === 'cpu') return void process.send?.({ cpuMicros: process.cpuUsage().user + process.cpuUsage().system });
  if (message !== 'stop') return;
  void app.close().then(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
