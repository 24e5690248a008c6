#!/usr/bin/env node
/**
 * Writes `.br` and `.gz` next to every script of the build, so the server sends them compressed
 * (@fastify/static `preCompressed`) without compressing on each request.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '../dist');
for (const file of fs.readdirSync(dist).filter((f) => f.endsWith('.js'))) {
  const bytes = fs.readFileSync(path.join(dist, file));
  fs.writeFileSync(path.join(dist, `${file}.gz`), zlib.gzipSync(bytes, { level: 9 }));
  fs.writeFileSync(path.join(dist, `${file}.br`), zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
