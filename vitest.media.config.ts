import { defineConfig } from 'vitest/config';

/**
 * Media tests: real Janus and one Chromium per party, inside a private network namespace
 * (e2e/media/netns-run.sh; `npm run test:media` wraps this run). One file at a time: each
 * starts its own Janus and browsers on a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ['e2e/media/**/*.test.ts'],
    testTimeout: 60_000,
    // expect.poll waits for an eventual state (a page updated, a frame arrived): 1 s by default, too
    // short on a loaded 2-core machine. Timings a test asserts are measured, never poll timeouts.
    expect: { poll: { timeout: 5000 } },
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
