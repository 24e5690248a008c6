import type { SupervisionMode } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useRef, useState } from 'react';
import { usePolling } from './usePolling.ts';

/** How often the monitor reads the supervision timeline (whispers of other supervisors, steps). */
const TIMELINE_INTERVAL_MS = 1500;

/**
 * This supervisor's supervision of one conversation (SPEC M28): monitoring starts when the
 * monitor opens and stops when it closes; the mode switches without leaving; the timeline (steps,
 * whispers) is read as it changes. Every action goes to the server, which records who did what.
 */
export function useSupervision(api: AdminApi, conversationId: string) {
  const [mode, setMode] = useState<SupervisionMode | null>(null);
  const [hasTakenOver, setHasTakenOver] = useState(false);
  const [error, setError] = useState<string>();
  const timeline = usePolling(() => api.conversations.supervision(conversationId), TIMELINE_INTERVAL_MS, conversationId);
  const stopOnLeave = useRef(true);

  useEffect(() => {
    stopOnLeave.current = true;
    api.conversations.monitor(conversationId).then(
      (active) => setMode(active.mode),
      (err: unknown) => setError(messageOf(err)),
    );
    // Leaving the monitor (closing it, or monitoring another conversation) ends the supervision.
    return () => {
      if (stopOnLeave.current) void api.conversations.stopSupervising(conversationId).catch(() => undefined);
    };
  }, [api, conversationId]);

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await action();
      setError(undefined);
      timeline.refresh();
      return result;
    } catch (err) {
      setError(messageOf(err));
      return undefined;
    }
  }

  return {
    mode,
    hasTakenOver,
    error,
    timeline: timeline.data,
    switchTo: async (next: SupervisionMode) => {
      const active = await run(() => api.conversations.supervise(conversationId, next));
      if (active) setMode(active.mode);
    },
    whisper: async (text: string, clientId: string) => (await run(() => api.conversations.whisper(conversationId, text, clientId))) !== undefined,
    barge: async (text: string, clientId: string) => (await run(() => api.conversations.barge(conversationId, text, clientId))) !== undefined,
    takeOver: async () => {
      const taken = await run(() => api.conversations.intercept(conversationId));
      if (!taken) return false;
      // The supervision ended with the take-over: nothing to stop when the monitor closes.
      stopOnLeave.current = false;
      setHasTakenOver(true);
      setMode(null);
      return true;
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
