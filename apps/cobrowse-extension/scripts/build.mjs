#!/usr/bin/env node
/**
 * Builds the unpacked extension into dist/: the manifest and popup page as they are, and three
 * bundles (the service worker, the popup's script, the capture injected into the page).
 * Load it in Chromium: chrome://extensions → Developer mode → Load unpacked → dist/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });
for (const file of fs.readdirSync(path.join(root, 'static'))) fs.copyFileSync(path.join(root, 'static', file), path.join(dist, file));
await build({
  entryPoints: { 'service-worker': 'src/service-worker.ts', popup: 'src/popup.ts', capture: 'src/content.ts' },
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'chrome120',
  outdir: dist,
  logLevel: 'warning',
});
console.log(`extension built in ${path.relative(process.cwd(), dist) || dist}`);
