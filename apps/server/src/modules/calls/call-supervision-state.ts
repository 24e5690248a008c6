import type { ActiveCallSupervision, CallSupervisionStep, SupervisionMode } from '@frontdesk/protocol';
import { isVisitorHeldForConsult } from './engine/consult.ts';
import { isSameParty, liveLegOf } from './engine/engine-state.ts';
import type { CallState, PartyRef } from './engine/types.ts';

/**
 * The pure core of call supervision (SPEC M28): what a call's steps (oldest first) say about who
 * supervises it now, and who receives whose media. No I/O.
 *
 * Forwarding is per subscriber (the SFU's subscriptions, decided by the server): a call's parties
 * receive each other as before; a supervisor receives every party and every other supervisor that
 * speaks into the call; a party receives a supervisor only when its mode lets it (`whisper`: the
 * agents, `barge`: everybody). `monitor` reaches nobody, not even other supervisors. A consult
 * (engine/consult.ts) is expressed the same way: while it rings or talks, the visitor and the call's
 * agents do not receive each other; three-way, all parties receive all.
 */
const MODES: readonly string[] = ['monitor', 'whisper', 'barge'];

export function isCallMode(kind: string | null): kind is SupervisionMode {
  return kind !== null && MODES.includes(kind);
}

/** The supervisor's supervision now: its last step when that entered a mode (intercept and stop end it). */
export function currentOf(steps: readonly CallSupervisionStep[], supervisorId: string): CallSupervisionStep | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.supervisorId === supervisorId) return isCallMode(step.mode) ? step : null;
  }
  return null;
}

/** Everyone supervising the call now (none once it ended), first come first. */
export function activeOf(call: Pick<CallState, 'id' | 'phase'>, steps: readonly CallSupervisionStep[]): ActiveCallSupervision[] {
  if (call.phase === 'ended') return [];
  const last = new Map<string, CallSupervisionStep>();
  for (const step of steps) last.set(step.supervisorId, step);
  return [...last.values()].flatMap((s) => (isCallMode(s.mode) ? [{ callId: call.id, supervisorId: s.supervisorId, mode: s.mode, textOnly: s.textOnly, since: s.at }] : []));
}

/** Voice supervision (not text-only): the supervisor is in the call's media. */
export function inMedia(active: readonly ActiveCallSupervision[], supervisorId: string): ActiveCallSupervision | undefined {
  return active.find((a) => a.supervisorId === supervisorId && !a.textOnly);
}

/** What forwarding depends on in a call: its legs and its consult (calls saved before consults have none). */
export type CallForwarding = Pick<CallState, 'participants'> & Partial<Pick<CallState, 'consult'>>;

/** Whether the party is one of the call's (a leg that has not left). */
export function isCallParty(call: Pick<CallState, 'participants'>, party: PartyRef): boolean {
  return liveLegOf(call, party) !== undefined;
}

/**
 * Whether `receiver` may receive `publisher`'s media in this call. Parties of the call keep the
 * rules they had; supervisors are agents who are not parties of it.
 */
export function mayReceive(call: CallForwarding, active: readonly ActiveCallSupervision[], receiver: PartyRef, publisher: PartyRef): boolean {
  if (isSameParty(receiver, publisher)) return false;
  const receiverIsParty = isCallParty(call, receiver);
  const publisherIsParty = isCallParty(call, publisher);
  const speaking = publisher.role === 'agent' ? inMedia(active, publisher.id) : undefined;
  if (receiverIsParty) {
    // A consult holds the visitor: it hears no party and no party hears it (its supervisors still do).
    if (publisherIsParty) return !(isVisitorHeldForConsult(call) && (receiver.role === 'visitor' || publisher.role === 'visitor'));
    if (!speaking) return false;
    return speaking.mode === 'barge' || (speaking.mode === 'whisper' && receiver.role === 'agent');
  }
  // A supervisor (voice) hears the parties and whoever of the others speaks into the call.
  if (receiver.role !== 'agent' || !inMedia(active, receiver.id)) return false;
  if (publisherIsParty) return true;
  return speaking !== undefined && speaking.mode !== 'monitor';
}

/** Who may receive `publisher` now: the call's parties and its voice supervisors, filtered by `mayReceive`. */
export function receiversOf(call: CallForwarding, active: readonly ActiveCallSupervision[], publisher: PartyRef): PartyRef[] {
  const everyone = new Map<string, PartyRef>();
  for (const p of call.participants) if (p.leg !== 'left') everyone.set(`${p.role}:${p.userId}`, { role: p.role, id: p.userId });
  for (const a of active) if (!a.textOnly) everyone.set(`agent:${a.supervisorId}`, { role: 'agent', id: a.supervisorId });
  return [...everyone.values()].filter((to) => mayReceive(call, active, to, publisher));
}

/** Who hears of a step: the supervisor, the call's agents unless it is a silent monitor (or its stop). */
export function isSilentStep(step: Pick<CallSupervisionStep, 'mode' | 'previousMode'>): boolean {
  return step.mode === 'monitor' || (step.mode === 'stop' && step.previousMode === 'monitor');
}

/**
 * A step as the call's agents are told of it (frames and their timeline), or null when they are not.
 * NOTE: an agent never learns of a monitor. A supervisor who goes from whisper or barge back to monitor
 * stops being heard: to the agent it stopped (without that step its banner would stay up); a step
 * from monitor reads as from nothing.
 */
export function agentViewOf(step: CallSupervisionStep): CallSupervisionStep | null {
  if (step.mode === 'monitor') return step.previousMode === 'whisper' || step.previousMode === 'barge' ? { ...step, mode: 'stop' } : null;
  if (isSilentStep(step)) return null;
  return step.previousMode === 'monitor' ? { ...step, previousMode: null } : step;
}
