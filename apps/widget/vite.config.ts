import { defineConfig } from 'vite';

/**
 * Two outputs: `loader.js` (the snippet's stable URL, no framework, a few KB) and the Preact chat
 * panel as a hashed chunk the loader imports on first open, relative to its own URL, so the
 * widget works from any origin the server is reached at. Budgets: scripts/size-limit.mjs.
 */
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: false,
    rolldownOptions: {
      input: { loader: 'src/loader.ts' },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
      },
    },
  },
});
