import type { CallSupervisionStep } from '@frontdesk/protocol';
import { format } from '../../../app/locale.ts';
import type { CallStrings } from '../locales/index.ts';

/** A supervisor the agent hears in its call: whispering (to the agent only) or barged in (to everyone). */
export interface HeardSupervisor {
  supervisorId: string;
  mode: 'whisper' | 'barge';
  since: number;
}

/** Who the agent hears in a call, and the last step applied (steps arrive in order, but a reload's read may lag one). */
export interface CallSupervisors {
  heard: readonly HeardSupervisor[];
  lastSeq: number;
}

export const NO_SUPERVISORS: CallSupervisors = { heard: [], lastSeq: 0 };

/**
 * The agent's call after a supervision step it was told of (SPEC M28). NOTE: the server never tells
 * the agent of a monitor (a supervisor going back to monitor reads as a stop), so a step other than
 * whisper or barge (stop, intercept) means that supervisor is no longer heard. An older step is ignored.
 */
export function applySupervisionStep(current: CallSupervisors, step: CallSupervisionStep): CallSupervisors {
  if (step.seq <= current.lastSeq) return current;
  const others = current.heard.filter((h) => h.supervisorId !== step.supervisorId);
  const heard = step.mode === 'whisper' || step.mode === 'barge' ? [...others, { supervisorId: step.supervisorId, mode: step.mode, since: step.at }] : others;
  return { heard, lastSeq: step.seq };
}

/** The banner lines of a call: one per supervisor heard, by name (unknown names say "a supervisor"). */
export function supervisionNotices(supervisors: CallSupervisors, nameOf: (agentId: string) => string | undefined, s: CallStrings): { supervisorId: string; mode: HeardSupervisor['mode']; text: string }[] {
  return supervisors.heard.map(({ supervisorId, mode }) => {
    const name = nameOf(supervisorId);
    const text = name ? format(mode === 'whisper' ? s.supervisorWhispering : s.supervisorBarged, { name }) : mode === 'whisper' ? s.someoneWhispering : s.someoneBarged;
    return { supervisorId, mode, text };
  });
}
