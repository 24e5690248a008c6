/** Large files by key behind one port (platform/blobs): the local directory now, an object store later. */
export type { BlobStore } from './blob-store.ts';
export { createLocalBlobStore } from './local-blob-store.ts';
