/**
 * The core's own timers, kept on the legs: rings it owns (outbound callee, third parties), media that
 * must connect, lost media's grace period, a stopped stream's offline notice. Routing's offers ring
 * under routing's timer, not this one.
 *
 * NOTE: no heap. Live calls are bounded by agents × maxConcurrentCalls and each leg holds at most one
 * armed timer of each kind, so a scan of live calls is cheap and always agrees with the state.
 */
import { isEssential, sideOfRole, type EngineState } from './engine-state.ts';
import { watchersOf } from './media-events.ts';
import { inviteeLeaves } from './third-party.ts';
import { transfereeLeaves } from './transfer.ts';
import { consulteeLeaves } from './consult.ts';
import type { CallState, Participant } from './types.ts';

type TimerKind = 'ring' | 'connect' | 'grace' | 'stream';

interface Due {
  at: number;
  kind: TimerKind;
  call: CallState;
  leg: Participant;
}

function timersOf(leg: Participant): [TimerKind, number][] {
  const out: [TimerKind, number][] = [];
  if (leg.leg === 'ringing' && (leg.origin === 'callee' || leg.origin === 'invitee' || leg.origin === 'transferee' || leg.origin === 'consultee') && leg.ringExpiresAt !== null) out.push(['ring', leg.ringExpiresAt]);
  if (leg.leg === 'connecting' && leg.connectBy !== null) out.push(['connect', leg.connectBy]);
  if ((leg.leg === 'connected' || leg.leg === 'held') && leg.graceUntil !== null) out.push(['grace', leg.graceUntil]);
  if ((leg.leg === 'connected' || leg.leg === 'held') && leg.streamOfflineAt !== null) out.push(['stream', leg.streamOfflineAt]);
  return out;
}

/** The earliest armed timer; on equal times the first call, then the first leg, then ring < connect < grace < stream. */
export function earliestTimer(st: EngineState): Due | undefined {
  let best: Due | undefined;
  for (const call of st.live) {
    for (const leg of call.participants) {
      for (const [kind, at] of timersOf(leg)) if (!best || at < best.at) best = { at, kind, call, leg };
    }
  }
  return best;
}

/** Fires every timer due by `until`, in time order, each at its own deadline (so a late tick changes no timestamp). */
export function fireDueTimers(st: EngineState, until: number): void {
  for (;;) {
    const due = earliestTimer(st);
    if (!due || due.at > until) return;
    st.now = Math.max(st.now, due.at);
    fire(st, due);
  }
}

function fire(st: EngineState, { kind, call, leg }: Due): void {
  switch (kind) {
    case 'ring':
      if (leg.origin === 'callee') return st.endCall(call, call.direction === 'internal' ? 'callee_timeout' : 'visitor_timeout', 'system', leg);
      if (leg.origin === 'transferee') return transfereeLeaves(st, call, leg, 'ring_timeout');
      if (leg.origin === 'consultee') return consulteeLeaves(st, call, leg, 'ring_timeout', 'system', 'timeout');
      return inviteeLeaves(st, call, leg, leg.role === 'visitor' ? 'visitor_timeout' : 'ring_timeout', 'timeout', 'system');
    case 'connect':
      if (isEssential(call, leg)) return st.endCall(call, 'media_failure', 'system', leg);
      if (leg.origin === 'consultee') return consulteeLeaves(st, call, leg, 'media_failure', 'system', 'left');
      return inviteeLeaves(st, call, leg, 'media_failure', 'left', 'system');
    case 'grace':
      if (isEssential(call, leg)) return st.endCall(call, 'peer_lost', sideOfRole(leg), leg);
      if (leg.origin === 'consultee') return consulteeLeaves(st, call, leg, 'peer_lost', sideOfRole(leg), 'left');
      return inviteeLeaves(st, call, leg, 'peer_lost', 'left', sideOfRole(leg));
    case 'stream':
      leg.streamOfflineAt = null;
      leg.isStreamOffline = true;
      st.actions.push({ type: 'stream.offline', callId: call.id, participant: { role: leg.role, id: leg.userId }, notify: watchersOf(call, leg) });
      return;
  }
}
