import type { Wallboard } from '@frontdesk/protocol';
import type { Logger } from '../../platform/logger.ts';

/** A wallboard is computed at most this often per app: a draining queue is a burst of decisions. */
export const WALLBOARD_PUSH_MS = 500;

/**
 * Pushes the wallboard to an app's supervisors on this node when something moved it (a routing
 * decision, a conversation's facts written), at most every WALLBOARD_PUSH_MS per app: the first
 * change is sent at once, the rest of a burst once after the pause (counted from the last send).
 * Nothing is computed for an app without a supervisor connected here.
 */
export function createWallboardPush(deps: {
  compute: (appId: string) => Promise<Wallboard>;
  hasSupervisors: (appId: string) => boolean;
  send: (appId: string, wallboard: Wallboard) => void;
  log: Logger;
  intervalMs?: number;
}) {
  const intervalMs = deps.intervalMs ?? WALLBOARD_PUSH_MS;
  const state = new Map<string, { timer: ReturnType<typeof setTimeout> | undefined; isDirty: boolean }>();
  let isClosed = false;

  /**
   * Computes and sends, then pauses. NOTE: the pause starts once the board is sent, not when the
   * read began: a read slower than the pause is never overlapped by the next, whose older figures
   * could otherwise be sent last.
   */
  async function pushThenPause(appId: string, entry: { timer: ReturnType<typeof setTimeout> | undefined }): Promise<void> {
    try {
      const wallboard = await deps.compute(appId);
      if (!isClosed) deps.send(appId, wallboard);
    } catch (err) {
      deps.log.warn({ err: { message: (err as Error).message }, appId }, 'could not compute the wallboard');
    }
    if (!isClosed) entry.timer = setTimeout(() => settle(appId), intervalMs);
  }

  function settle(appId: string): void {
    const entry = state.get(appId);
    if (!entry) return;
    if (!entry.isDirty || isClosed) {
      state.delete(appId);
      return;
    }
    entry.isDirty = false;
    void pushThenPause(appId, entry);
  }

  return {
    changed(appId: string): void {
      if (isClosed || !deps.hasSupervisors(appId)) return;
      const entry = state.get(appId);
      if (entry) {
        entry.isDirty = true;
        return;
      }
      const started = { timer: undefined, isDirty: false };
      state.set(appId, started);
      void pushThenPause(appId, started);
    },
    close(): void {
      isClosed = true;
      for (const entry of state.values()) clearTimeout(entry.timer);
      state.clear();
    },
  };
}
export type WallboardPush = ReturnType<typeof createWallboardPush>;
