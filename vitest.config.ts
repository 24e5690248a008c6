import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/{src,test}/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Media tests need a private network namespace: vitest.media.config.ts, run by `npm run test:media`.
    exclude: [...configDefaults.exclude, 'e2e/media/**'],
    globalSetup: ['./apps/server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
