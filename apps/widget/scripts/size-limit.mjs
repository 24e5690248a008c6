#!/usr/bin/env node
/**
 * Fails the build when the widget outgrows its budget (gzip, as browsers download it):
 *   loader.js, what every page of the business loads: ≤ 10 KB
 *   the panel: the chunk the loader imports when the visitor opens the chat, and every chunk it
 *     imports statically (what opening the chat downloads): ≤ 50 KB
 *   calls: the chunks the panel imports lazily, with the first call (the call screen and the
 *     SDK's WebRTC code): ≤ 20 KB
 *   cobrowse: the chunk the panel imports lazily when a co-browse goes live (the capture and the
 *     visitor's overlay), and what it imports: ≤ 12 KB
 * Run after `vite build`; prints a table either way.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '../dist');
const KB = 1024;
const BUDGETS = { loader: 10 * KB, panel: 50 * KB, calls: 20 * KB, cobrowse: 12 * KB };

/** The chunks a script imports: statically (`from"./x.js"`, `import"./x.js"`) and dynamically (`import("./x.js")`, minified with backticks). */
function importsOf(code) {
  const statics = [...code.matchAll(/(?:from|import)\s*["'`]\.\/([^"'`]+\.js)["'`]/g)].map((m) => m[1]);
  const dynamics = [...code.matchAll(/import\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]);
  return { statics, dynamics };
}

export function measure(dir = dist) {
  const gzip = (file) => zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length;
  const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  if (!scripts.includes('loader.js')) throw new Error(`no loader.js in ${dir}: run vite build first`);
  const imports = new Map(scripts.map((f) => [f, importsOf(fs.readFileSync(path.join(dir, f), 'utf8'))]));
  // What opening the chat loads: the loader's lazy chunks and their static imports (the loader itself is already there).
  const panel = new Set();
  const visit = (file) => {
    if (file === 'loader.js' || panel.has(file) || !imports.has(file)) return;
    panel.add(file);
    for (const next of imports.get(file).statics) visit(next);
  };
  for (const file of imports.get('loader.js').dynamics) visit(file);
  // The co-browse capture: its lazy chunk (named after its module) and the chunks only it imports.
  const cobrowse = new Set();
  const visitCobrowse = (file) => {
    if (panel.has(file) || cobrowse.has(file) || !imports.has(file)) return;
    cobrowse.add(file);
    for (const next of imports.get(file).statics) visitCobrowse(next);
  };
  for (const file of scripts) if (file.startsWith('cobrowse-capture')) visitCobrowse(file);
  const calls = scripts.filter((f) => f !== 'loader.js' && !panel.has(f) && !cobrowse.has(f));
  const sum = (files) => files.reduce((total, f) => total + gzip(f), 0);
  return {
    loader: { files: ['loader.js'], gzipBytes: gzip('loader.js') },
    panel: { files: [...panel], gzipBytes: sum([...panel]) },
    calls: { files: calls, gzipBytes: sum(calls) },
    cobrowse: { files: [...cobrowse], gzipBytes: sum([...cobrowse]) },
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
