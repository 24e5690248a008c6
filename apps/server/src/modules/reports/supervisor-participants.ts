import type { CdrParticipant, SupervisionMode, SupervisionStep } from '@frontdesk/protocol';
import { participantDefaults, seconds } from './cdr-builder.ts';

const MODES: readonly string[] = ['monitor', 'whisper', 'barge'];

/**
 * The pure core of a CDR's supervisors (SPEC M28): one `supervisorSeat` ServeParticipant per span
 * of a supervisor's supervision, from the first mode it entered to its stop, its take-over
 * (`intercepted`: its serving participation follows as a `staffSeat`), or the end of the
 * conversation. Nothing rang: RingTimestamp = AcceptTimestamp = StartTimeStamp, as for a claim by hand.
 */
export function supervisorParticipants(steps: readonly Pick<SupervisionStep, 'supervisorId' | 'mode' | 'at'>[], { mailOf, endedAtMs, firstSequence }: { mailOf: (agentId: string) => string; endedAtMs: number; firstSequence: number }): CdrParticipant[] {
  const open = new Map<string, CdrParticipant & { SupervisionModes: SupervisionMode[] }>();
  const out: CdrParticipant[] = [];
  for (const step of steps) {
    const current = open.get(step.supervisorId);
    if (MODES.includes(step.mode)) {
      const mode = step.mode as SupervisionMode;
      if (current) {
        if (!current.SupervisionModes.includes(mode)) current.SupervisionModes.push(mode);
        continue;
      }
      const at = seconds(step.at);
      const started = {
        ...participantDefaults(),
        Mail: mailOf(step.supervisorId),
        Type: 'supervisorSeat' as const,
        Sequence: firstSequence + out.length,
        StartTimeStamp: at,
        RingTimestamp: at,
        AcceptTimestamp: at,
        EndedTimestamp: 0,
        SkillGroupId: 0,
        SkillGroupName: '',
        EndStatusString: 'ok',
        SupervisionModes: [mode],
      };
      open.set(step.supervisorId, started);
      out.push(started);
    } else if (current) {
      current.EndedTimestamp = seconds(step.at);
      if (step.mode === 'intercept') current.EndStatusString = 'intercepted';
      open.delete(step.supervisorId);
    }
  }
  for (const p of open.values()) p.EndedTimestamp = seconds(endedAtMs);
  return out;
}
