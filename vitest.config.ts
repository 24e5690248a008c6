import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/{src,test}/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Media tests need a private network namespace: vitest.media.config.ts, run by `npm run test:media`.
    exclude: [...configDefaults.exclude, 'e2e/media/**'],
    globalSetup: ['./apps/server/test/global-setup.ts'],
    testTimeout: 60_000,
    // expect.poll waits for an eventual state (a page updated, a frame arrived): 1 s by default, too
    // short on a loaded 2-core machine. Timings a test asserts are measured, never poll timeouts.
    expect: { poll: { timeout: 5000 } },
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
