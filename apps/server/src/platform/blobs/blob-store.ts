import type { Readable } from 'node:stream';

/**
 * Where large files (call recordings) are kept, by key: `recordings/<app>/<recording>/mixed.mp4`.
 * The local directory implementation is the default; an object store fits the same port (a key is
 * an object name; `put` from a file is a multipart upload).
 */
export interface BlobStore {
  /** Stores the file at `key` (replacing what was there): moved when it can be, else copied. */
  putFile(key: string, sourcePath: string): Promise<{ sizeBytes: number }>;
  /** The blob's bytes, or null when there is none. */
  open(key: string): Promise<{ stream: Readable; sizeBytes: number } | null>;
  /** Removes every blob whose key starts with `prefix/`. */
  deletePrefix(prefix: string): Promise<void>;
}

/** Keys are relative paths of safe segments: letters, digits, `.`, `_`, `-`; never `..`. */
export function assertBlobKey(key: string): void {
  const segments = key.split('/');
  if (segments.length === 0 || segments.some((s) => !/^[A-Za-z0-9._-]+$/.test(s) || s === '.' || s === '..')) throw new Error(`invalid blob key "${key}"`);
}
