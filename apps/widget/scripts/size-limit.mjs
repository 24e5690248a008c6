#!/usr/bin/env node
/**
 * Fails the build when the widget outgrows its budget (gzip, as browsers download it):
 *   loader.js, what every page of the business loads: ≤ 10 KB
 *   the panel: every chunk the loader imports when the visitor opens the chat: ≤ 50 KB
 * Run after `vite build`; prints a table either way.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '../dist');
const KB = 1024;
const BUDGETS = { loader: 10 * KB, panel: 50 * KB };

export function measure(dir = dist) {
  const gzip = (file) => zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length;
  const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  if (!scripts.includes('loader.js')) throw new Error(`no loader.js in ${dir}: run vite build first`);
  const panelFiles = scripts.filter((f) => f !== 'loader.js');
  return {
    loader: { files: ['loader.js'], gzipBytes: gzip('loader.js') },
    panel: { files: panelFiles, gzipBytes: panelFiles.reduce((sum, f) => sum + gzip(f), 0) },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = measure();
  let failed = false;
  for (const [name, { files, gzipBytes }] of Object.entries(sizes)) {
    const budget = BUDGETS[name];
    const ok = gzipBytes <= budget;
    failed ||= !ok;
    console.log(`${ok ? '✓' : '✗'} ${name.padEnd(6)} ${(gzipBytes / KB).toFixed(2).padStart(6)} KB gzip  (budget ${budget / KB} KB)  ${files.join(', ')}`);
  }
  if (failed) {
    console.error('widget size budget exceeded');
    process.exit(1);
  }
}
