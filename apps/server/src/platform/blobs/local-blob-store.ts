import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomToken } from '../crypto/index.ts';
import { assertBlobKey, type BlobStore } from './blob-store.ts';

/**
 * The BlobStore in a local directory. A put lands whole or not at all: the file is first moved (or
 * copied) next to its place under a temporary name, then renamed over it.
 */
export function createLocalBlobStore(rootDir: string): BlobStore {
  const pathOf = (key: string) => {
    assertBlobKey(key);
    return path.join(rootDir, ...key.split('/'));
  };

  return {
    async putFile(key, sourcePath) {
      const target = pathOf(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.part-${randomToken(6)}`;
      try {
        await fsp.rename(sourcePath, temporary);
      } catch (err) {
        // NOTE: another file system (a mounted volume): copy instead of moving.
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        await fsp.copyFile(sourcePath, temporary);
      }
      await fsp.rename(temporary, target);
      return { sizeBytes: (await fsp.stat(target)).size };
    },
    async open(key) {
      const file = pathOf(key);
      const stat = await fsp.stat(file).catch(() => null);
      if (!stat?.isFile()) return null;
      return { stream: fs.createReadStream(file), sizeBytes: stat.size };
    },
    async deletePrefix(prefix) {
      await fsp.rm(pathOf(prefix), { recursive: true, force: true });
    },
  };
}
