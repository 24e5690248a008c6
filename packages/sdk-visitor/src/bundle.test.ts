import path from 'node:path';
import zlib from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The SDK ships inside the widget panel: what a page loads for the chat must stay small and carry no
 * zod (nor any protocol runtime code). Calls are a dynamic import (visitor-calls.ts): the page
 * downloads them with the first call, within their own budget.
 */
// NOTE: 10 KB until co-browsing, contacts (identify) and messages left added their entry points
// (about 190 B together, each loading its code lazily); 10.5 KB from then on.
const GZIP_BUDGET_BYTES = 10.5 * 1024;
const CALLS_GZIP_BUDGET_BYTES = 8 * 1024;

describe('the browser bundle of the visitor SDK', () => {
  it(`imports only types from the protocol package; the chat stays under ${GZIP_BUDGET_BYTES} bytes gzipped and the lazily loaded calls under ${CALLS_GZIP_BUDGET_BYTES}`, async () => {
    const outdir = path.join(import.meta.dirname, '../dist/bundle-test');
    const result = await build({
      entryPoints: [path.join(import.meta.dirname, 'index.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      splitting: true,
      outdir,
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => f.includes('zod') || f.includes('packages/protocol'))).toEqual([]);
    // Its own code and the shared SDK core (which imports nothing), nothing else.
    expect(inputs.filter((f) => !/(^|\/)sdk-(visitor|core)\/src\//.test(f))).toEqual([]);

    const outputs = result.metafile.outputs;
    const gzipOf = (file: string) => zlib.gzipSync(result.outputFiles.find((f) => path.relative(process.cwd(), f.path) === file)!.contents, { level: 9 }).length;
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint?.endsWith('sdk-visitor/src/index.ts'))!;
    const chat = staticClosure(outputs, entry);
    const calls = Object.keys(outputs).filter((file) => !chat.has(file));
    // The call code (WebRTC) is only in the lazily loaded part.
    const inputsOf = (files: Iterable<string>) => [...files].flatMap((file) => Object.keys(outputs[file]!.inputs));
    expect(inputsOf(chat).filter((f) => /call-(media|controller)\.ts$|peer-leg\.ts$/.test(f))).toEqual([]);
    expect(calls.length).toBeGreaterThan(0);

    const chatGzipBytes = [...chat].reduce((sum, file) => sum + gzipOf(file), 0);
    const callsGzipBytes = calls.reduce((sum, file) => sum + gzipOf(file), 0);
    console.info(`visitor SDK: chat ${chatGzipBytes} B gzip (budget ${GZIP_BUDGET_BYTES}), calls ${callsGzipBytes} B gzip (budget ${CALLS_GZIP_BUDGET_BYTES})`);
    expect(chatGzipBytes).toBeLessThan(GZIP_BUDGET_BYTES);
    expect(callsGzipBytes).toBeLessThan(CALLS_GZIP_BUDGET_BYTES);
  });
});

/** An output file and every chunk it imports statically (what a page loads before any dynamic import). */
function staticClosure(outputs: Metafile['outputs'], entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement' && outputs[imported.path]) visit(imported.path);
  };
  visit(entry);
  return seen;
}
