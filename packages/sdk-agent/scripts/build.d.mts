/** Bundles the SDK with esbuild (see build.mjs). */
export function bundle(options?: { format?: 'esm' | 'iife'; write?: boolean }): Promise<{ outfile: string; code: Buffer; gzipBytes: number }>;
