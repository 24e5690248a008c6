import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/workbench/',
  plugins: [react()],
  experimental: {
    // URLs inside the scripts (lazy chunks, their CSS) resolve against the script, not the page:
    // the SDK login script mounts the workbench into pages of other origins (a CRM).
    renderBuiltUrl: (_filename, { hostType }) => (hostType === 'js' ? { relative: true } : undefined),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // A stable name: the SDK login script imports /workbench/assets/workbench.js to mount the
        // workbench into a CRM page (served with no-cache; the lazy chunks keep hashed names).
        entryFileNames: 'assets/workbench.js',
      },
    },
  },
});
