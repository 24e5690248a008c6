import type { Wallboard } from '@frontdesk/protocol';
import type { Logger } from '../../platform/logger.ts';

/** A wallboard is computed at most this often per app: a draining queue is a burst of decisions. */
export const WALLBOARD_PUSH_MS = 500;

/**
 * Pushes the wallboard to an app's supervisors on this node when something moved it (a routing
 * decision, a conversation's facts written), at most every WALLBOARD_PUSH_MS per app: the first
 * change is sent at once, the rest of a burst once after the pause. Nothing is computed for an
 * app without a supervisor connected here.
 */
export function createWallboardPush(deps: {
  compute: (appId: string) => Promise<Wallboard>;
  hasSupervisors: (appId: string) => boolean;
  send: (appId: string, wallboard: Wallboard) => void;
  log: Logger;
  intervalMs?: number;
}) {
  const intervalMs = deps.intervalMs ?? WALLBOARD_PUSH_MS;
  const state = new Map<string, { timer: ReturnType<typeof setTimeout>; isDirty: boolean }>();
  let isClosed = false;

  async function push(appId: string): Promise<void> {
    try {
      deps.send(appId, await deps.compute(appId));
    } catch (err) {
      deps.log.warn({ err: { message: (err as Error).message }, appId }, 'could not compute the wallboard');
    }
  }

  function settle(appId: string): void {
    const entry = state.get(appId);
    if (!entry) return;
    if (!entry.isDirty || isClosed) {
      state.delete(appId);
      return;
    }
    entry.isDirty = false;
    entry.timer = setTimeout(() => settle(appId), intervalMs);
    void push(appId);
  }

  return {
    changed(appId: string): void {
      if (isClosed || !deps.hasSupervisors(appId)) return;
      const entry = state.get(appId);
      if (entry) {
        entry.isDirty = true;
        return;
      }
      state.set(appId, { timer: setTimeout(() => settle(appId), intervalMs), isDirty: false });
      void push(appId);
    },
    close(): void {
      isClosed = true;
      for (const entry of state.values()) clearTimeout(entry.timer);
      state.clear();
    },
  };
}
export type WallboardPush = ReturnType<typeof createWallboardPush>;
