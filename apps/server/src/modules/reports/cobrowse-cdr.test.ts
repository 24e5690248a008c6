import type { CobrowseStep } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { cobrowseOfCdr } from './cobrowse-cdr.ts';

let seq = 0;
const step = (sessionId: string, kind: CobrowseStep['kind'], actorRole: CobrowseStep['actorRole'], actorId: string | null, atSeconds: number): CobrowseStep => ({ sessionId, seq: ++seq, kind, actorRole, actorId, at: atSeconds * 1000 });

describe('co-browses in the CDR', () => {
  it('each live session with who watched and who controlled it, in seconds; a rejected proposal is left out', () => {
    const steps = [
      step('s1', 'proposed', 'agent', 'ann', 100),
      step('s1', 'rejected', 'visitor', 'v', 105),
      step('s1', 'ended', 'visitor', 'v', 105),
      step('s2', 'started', 'visitor', 'v', 200),
      step('s2', 'viewer-joined', 'agent', 'ann', 201),
      step('s2', 'viewer-joined', 'agent', 'boss', 230),
      step('s2', 'control-requested', 'agent', 'ann', 240),
      step('s2', 'control-granted', 'visitor', 'v', 250),
      step('s2', 'control-revoked', 'visitor', 'v', 280),
      step('s2', 'viewer-left', 'agent', 'boss', 290),
      step('s2', 'ended', 'agent', 'ann', 300),
    ];
    expect(cobrowseOfCdr(steps, { mailOf: (id) => `${id}@acme.test`, endedAtMs: 400_000 })).toEqual([
      {
        SessionId: 's2',
        StartedBy: 'visitor',
        StartTimestamp: 200,
        EndedTimestamp: 300,
        Duration: 100,
        EndReason: 'agent',
        Viewers: [
          { Mail: 'ann@acme.test', Seconds: 99 },
          { Mail: 'boss@acme.test', Seconds: 60 },
        ],
        Controllers: [{ Mail: 'ann@acme.test', Seconds: 30 }],
      },
    ]);
  });
});
