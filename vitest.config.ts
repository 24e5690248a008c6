import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that assert a bound on time under load (acks within 1 s at three times the sustainable
 * rate, a health check within 500 ms of a flood, a timeout that must answer within 4 s) or that
 * load the machine themselves (server processes killed and restarted, two nodes), or that fill a
 * disk the shared PostgreSQL writes to (a checkpoint that finds no room there fails, and with it any
 * file's `drop database`): run one at a time, after the others, so no other file shares the 2 cores
 * or that disk with them.
 */
const ALONE = [
  'apps/server/test/overload.test.ts',
  'apps/server/test/multinode.test.ts',
  'apps/server/test/call-supervision-multinode.test.ts',
  'apps/server/test/crash.test.ts',
  'apps/server/test/outbox-crash.test.ts',
  'apps/server/test/recording-crash.test.ts',
  'apps/server/test/storage-outage.test.ts',
  'apps/server/test/storage-full.test.ts',
  'apps/server/test/shutdown.test.ts',
  'apps/server/test/messaging-pacing.test.ts',
  'apps/server/test/gateway-limits.test.ts',
  'apps/server/test/visitor-identity.test.ts',
  'apps/server/test/search-indexer.test.ts',
  'e2e/cobrowse.test.ts',
  'e2e/workbench-channels.test.ts',
];
// Media tests need a private network namespace: vitest.media.config.ts, run by `npm run test:media`.
const EXCLUDE = [...configDefaults.exclude, 'e2e/media/**'];

export default defineConfig({
  test: {
    // NOTE: vitest runs cores - 1 files at once by default: one on this 2-core machine, where most
    // files spend their time waiting (sockets, browsers, timers). Two at once, the timed ones alone.
    projects: [
      { extends: true, test: { name: 'together', include: ['{apps,packages}/*/{src,test}/**/*.test.ts', 'e2e/**/*.test.ts'], exclude: [...EXCLUDE, ...ALONE], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, exclude: EXCLUDE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
    globalSetup: ['./apps/server/test/global-setup.ts'],
    testTimeout: 60_000,
    // expect.poll waits for an eventual state (a page updated, a frame arrived): 1 s by default, too
    // short on a loaded 2-core machine. Timings a test asserts are measured, never poll timeouts.
    expect: { poll: { timeout: 5000 } },
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
