import type { AgentState, Call } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useRef, useState } from 'react';

/** The ids of the calls agents hold now (routing marks call sessions `subject: 'call'`). */
export function callIdsOf(states: readonly AgentState[]): string[] {
  return [...new Set(states.flatMap((s) => s.sessions.filter((x) => x.subject === 'call').map((x) => x.conversationId)))];
}

/**
 * The live calls of the app, read for each call session the overview lists (a supervisor may read
 * any call). Read again on each overview, so their phases follow; a call no longer listed is gone.
 */
export function useLiveCalls(api: AdminApi, states: readonly AgentState[] | undefined, fetchedAt: number): Call[] {
  const [calls, setCalls] = useState<Call[]>([]);
  const latest = useRef(0);
  useEffect(() => {
    const ids = callIdsOf(states ?? []);
    const run = ++latest.current;
    void Promise.all(ids.map((id) => api.calls.get(id).catch(() => null))).then((found) => {
      if (run === latest.current) setCalls(found.filter((c): c is Call => c !== null && c.phase !== 'ended'));
    });
  }, [api, fetchedAt]);
  return calls;
}
