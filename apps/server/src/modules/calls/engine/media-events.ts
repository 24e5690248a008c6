/**
 * What the media server saw: a leg connected, lost its media (a grace period starts), got it back,
 * stopped sending (agents hear of it after `streamOfflineAfterMs`) or resumed; a whole server went
 * away. Media facts about a party no longer in the call are late news and change nothing.
 */
import { counterpartLeg, isInMedia, mainLeg, type EngineState } from './engine-state.ts';
import type { CallEvent, CallState, Participant, PartyRef } from './types.ts';

type Of<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>;

function isConnected(leg: Participant): boolean {
  return leg.leg === 'connected' || leg.leg === 'held';
}

/** The agents who hear about a party's stream: every agent in the media but the party itself. */
export function watchersOf(call: CallState, leg: Participant): string[] {
  return call.participants.filter((p) => p !== leg && p.role === 'agent' && isInMedia(p)).map((p) => p.userId);
}

function legFor(st: EngineState, callId: string, party: PartyRef): { call: CallState; leg: Participant | undefined } {
  const call = st.liveCall(callId);
  return { call, leg: st.legOf(call, party) };
}

/** The call is active once its main agent and its counterpart (the visitor, or an internal call's callee) both have media. */
function activateIfReady(st: EngineState, call: CallState): void {
  if (call.phase !== 'connecting') return;
  const main = mainLeg(call);
  const other = counterpartLeg(call);
  if (main && other && isConnected(main) && isConnected(other)) {
    call.connectedAt = st.now;
    st.setPhase(call, 'active');
  }
}

export function connected(st: EngineState, e: Of<'media.connected'>): void {
  const { call, leg } = legFor(st, e.callId, e.participant);
  if (!leg) return;
  if (leg.leg === 'connecting') {
    leg.leg = 'connected';
    leg.connectedAt = st.now;
    leg.connectBy = null;
    st.changed(call, leg);
    activateIfReady(st, call);
  } else if (isConnected(leg) && leg.graceUntil !== null) {
    leg.graceUntil = null;
    st.changed(call, leg);
  }
}

export function lost(st: EngineState, e: Of<'media.lost'>): void {
  const { call, leg } = legFor(st, e.callId, e.participant);
  if (!leg || !isConnected(leg) || leg.graceUntil !== null) return;
  leg.graceUntil = st.now + st.options.peerGraceMs;
  st.changed(call, leg);
}

export function restored(st: EngineState, e: Of<'media.restored'>): void {
  const { call, leg } = legFor(st, e.callId, e.participant);
  if (!leg || leg.graceUntil === null) return;
  leg.graceUntil = null;
  st.changed(call, leg);
}

// NOTE: `changed` also makes the shell save the leg's new deadline (it saves a call only when a decision has actions).
export function stopped(st: EngineState, e: Of<'media.stopped'>): void {
  const { call, leg } = legFor(st, e.callId, e.participant);
  if (!leg || !isConnected(leg) || leg.isStreamOffline || leg.streamOfflineAt !== null) return;
  // NOTE: the media server tells after a silence of its own (Janus: its watch's 3 s); counted from the silence's start, not twice.
  leg.streamOfflineAt = st.now + Math.max(0, st.options.streamOfflineAfterMs - (e.silentMs ?? 0));
  st.changed(call, leg);
}

export function resumed(st: EngineState, e: Of<'media.resumed'>): void {
  const { call, leg } = legFor(st, e.callId, e.participant);
  if (!leg) return;
  if (leg.streamOfflineAt !== null) {
    leg.streamOfflineAt = null;
    st.changed(call, leg);
  }
  if (!leg.isStreamOffline) return;
  leg.isStreamOffline = false;
  st.actions.push({ type: 'stream.online', callId: call.id, participant: e.participant, notify: watchersOf(call, leg) });
}

/** Every named call still going ends with a media failure; unknown and ended ones are skipped. */
export function serverLost(st: EngineState, e: Of<'media.server_lost'>): void {
  for (const id of new Set(e.callIds)) {
    const call = st.calls.get(id);
    if (call && call.phase !== 'ended') st.endCall(call, 'media_failure', 'system');
  }
}
