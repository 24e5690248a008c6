import type { CoreSnapshot } from '../agent-core.ts';
import type { LeaderOp } from '../leader-ops.ts';
import type { SdkResult } from '../types.ts';

/** What the TCCC-shaped namespaces are built on. */
export interface NamespaceContext {
  /** An operation of the leader tab (here when leading): the connection or the shared list. */
  invoke<T>(op: LeaderOp, ...args: unknown[]): Promise<SdkResult<T>>;
  /** A REST-only call any tab runs itself, with the shared token. */
  local<T>(fn: () => Promise<T>): Promise<SdkResult<T>>;
  /** The live state (the core's when leading, else the mirror of the leader's). */
  snapshot(): CoreSnapshot;
}
