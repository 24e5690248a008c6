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
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
