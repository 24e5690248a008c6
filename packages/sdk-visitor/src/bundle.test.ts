import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The SDK ships inside the widget panel: it must stay small and carry no zod (nor any protocol runtime code). */
const GZIP_BUDGET_BYTES = 10 * 1024;

describe('the browser bundle of the visitor SDK', () => {
  it(`imports only types from the protocol package and stays under ${GZIP_BUDGET_BYTES} bytes gzipped`, async () => {
    const result = await build({
      entryPoints: [path.join(import.meta.dirname, 'index.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
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
    const gzipBytes = zlib.gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
    expect(gzipBytes).toBeLessThan(GZIP_BUDGET_BYTES);
  });
});
