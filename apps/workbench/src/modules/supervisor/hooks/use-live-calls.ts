import type { LiveCall } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useRef, useState } from 'react';

/**
 * The live calls of the app with who supervises each (`GET /v1/calls/live`, supervisors), read
 * again with each overview so that phases and supervisors follow; a call no longer listed is gone.
 */
export function useLiveCalls(api: AdminApi, fetchedAt: number): LiveCall[] {
  const [calls, setCalls] = useState<LiveCall[]>([]);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    void api.calls.live().then(
      (found) => run === latest.current && setCalls(found.filter((c) => c.call.phase !== 'ended')),
      () => undefined,
    );
  }, [api, fetchedAt]);
  return calls;
}
