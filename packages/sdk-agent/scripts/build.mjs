#!/usr/bin/env node
/**
 * Bundles the agent SDK for browsers and fails when it breaks its rules:
 *   dist/sdk-agent.js         ES module, for bundlers and `<script type="module">`
 *   dist/sdk-agent.global.js  classic script defining `window.FrontdeskAgentSdk` (CRM pages without a bundler)
 * Budget: 28 KB gzip each (25 KB until calls gained supervision, snapshots and photos, and screen
 * share: about 1 KB each; the SDK is one file for CRM pages, so it has no lazy chunks). And no zod (or any other runtime import of @frontdesk/protocol) may reach
 * the bundle: the SDK imports only its types, and `@frontdesk/protocol/easemob` (which imports nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const KB = 1024;
const BUDGET_GZIP_BYTES = 28 * KB;

export async function bundle({ format = 'esm', write = true } = {}) {
  const outfile = path.join(root, 'dist', format === 'esm' ? 'sdk-agent.js' : 'sdk-agent.global.js');
  const result = await build({
    entryPoints: [path.join(root, 'src/index.ts')],
    bundle: true,
    format,
    ...(format === 'iife' ? { globalName: 'FrontdeskAgentSdk' } : {}),
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: write,
    metafile: true,
    write,
    outfile,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  // Only the SDK's own code, the shared SDK core and the protocol's Easemob codes (files that import nothing) may be bundled.
  const leaked = inputs.filter((file) => !file.startsWith('src/') && !/(^|\/)sdk-(agent|core)\/src\//.test(file) && !/(^|\/)protocol\/src\/easemob\.ts$/.test(file));
  if (leaked.length > 0) throw new Error(`the SDK bundle must not contain runtime imports: ${leaked.join(', ')}`);
  const code = write ? fs.readFileSync(outfile) : Buffer.from(result.outputFiles.find((f) => f.path.endsWith('.js')).contents);
  return { outfile, code, gzipBytes: zlib.gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  for (const format of ['esm', 'iife']) {
    const { outfile, gzipBytes } = await bundle({ format });
    const ok = gzipBytes <= BUDGET_GZIP_BYTES;
    failed ||= !ok;
    console.log(`${ok ? '✓' : '✗'} ${path.basename(outfile).padEnd(20)} ${(gzipBytes / KB).toFixed(2).padStart(6)} KB gzip  (budget ${BUDGET_GZIP_BYTES / KB} KB)`);
  }
  if (failed) {
    console.error('agent SDK size budget exceeded');
    process.exit(1);
  }
}
