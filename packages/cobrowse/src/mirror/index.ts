/** The agent side of co-browsing: the mirror of the visitor's page, rebuilt from the capture's batches. */
export { Mirror, type MirrorCallbacks, type MirrorFrame, type MirrorView } from './mirror.ts';
