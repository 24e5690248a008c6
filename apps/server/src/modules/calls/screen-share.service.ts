import type { IceCandidate, Jsep, PartyRef, ScreenShareState } from '@frontdesk/protocol';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { CallStore, StoredCall } from './call-store.ts';
import { CallError } from './calls.errors.ts';
import { liveLegOf } from './engine/engine-state.ts';
import type { Participant } from './engine/types.ts';
import type { SignalSink } from './media-relay.ts';
import type { ScreenShareRelay } from './screen-share-relay.ts';
import type { ScreenShareStore } from './screen-share-store.ts';

/** Legs whose media is in the room: a share is published and received only from these. */
const IN_MEDIA: readonly Participant['leg'][] = ['connected', 'held'];

function partyOf(principal: Principal): PartyRef {
  if (principal.kind === 'visitor') return { role: 'visitor', id: principal.visitorId };
  if (principal.kind === 'agent') return { role: 'agent', id: principal.agentId };
  throw new CallError('FD_AUTH_FORBIDDEN', 'screens are shared by the parties of a call');
}

const legOf = (stored: StoredCall, party: PartyRef) => liveLegOf(stored.state, party);

/**
 * Screen share in calls (SPEC M24, Easemob `inviteShare`, `isShareState`): a party in the call's media
 * shares its screen on a leg of its own; an agent of the call invites the visitor, whose page asks for
 * consent and shares or declines. Only the call's parties act; a call of another app, or one the
 * principal is not in, is "not found" (a supervisor of the app may read the state).
 */
export function createScreenShareService(deps: { calls: CallStore; shares: ScreenShareStore; relay: ScreenShareRelay }) {
  const { calls, shares, relay } = deps;

  async function callFor(principal: Principal, callId: string, { toAct = true } = {}): Promise<{ stored: StoredCall; party: PartyRef }> {
    const party = partyOf(principal);
    const stored = await calls.find(principal.appId, callId);
    const isParty = stored?.state.participants.some((p) => p.role === party.role && p.userId === party.id);
    if (!stored || (!isParty && !(!toAct && hasRole(principal, 'supervisor')))) throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
    return { stored, party };
  }

  /** The call is live and the party in its media. */
  function requireInMedia(stored: StoredCall, party: PartyRef): void {
    if (stored.state.phase === 'ended') throw new CallError('FD_CALL_ENDED', 'the call has ended');
    const leg = legOf(stored, party);
    if (!leg) throw new CallError('FD_CALL_NOT_PARTICIPANT', 'you are not in this call any more');
    if (!IN_MEDIA.includes(leg.leg) || !stored.room) throw new CallError('FD_CALL_NOT_ALLOWED', 'screens are shared once the call is connected');
  }

  return {
    /** An agent in the call asks its visitor to share a screen: every party hears `invited`; the visitor's page asks for consent. */
    async invite(principal: Principal, callId: string): Promise<void> {
      if (principal.kind !== 'agent') throw new CallError('FD_AUTH_FORBIDDEN', 'an agent of the call invites the visitor to share');
      const { stored, party } = await callFor(principal, callId);
      requireInMedia(stored, party);
      const visitorId = stored.state.visitorId;
      const visitorLeg = visitorId === null ? undefined : legOf(stored, { role: 'visitor', id: visitorId } satisfies PartyRef);
      if (!visitorLeg || !IN_MEDIA.includes(visitorLeg.leg)) throw new CallError('FD_CALL_NOT_ALLOWED', 'the visitor is not in the call');
      if ((await shares.open(principal.appId, callId)).some((s) => s.sharer.role === 'visitor')) throw new CallError('FD_CALL_NOT_ALLOWED', 'the visitor shares a screen already');
      await relay.announce(stored, 'invited', party, null);
    },

    /** The visitor says "not now" (or its browser could not share): every party hears `declined`. */
    async decline(principal: Principal, callId: string, reason: 'refused' | 'unavailable'): Promise<void> {
      if (principal.kind !== 'visitor') throw new CallError('FD_AUTH_FORBIDDEN', 'the visitor answers an invitation to share');
      const { stored, party } = await callFor(principal, callId);
      if (stored.state.phase === 'ended') throw new CallError('FD_CALL_ENDED', 'the call has ended');
      await relay.announce(stored, 'declined', party, reason);
    },

    async publish(principal: Principal, callId: string, offer: Jsep, sink: SignalSink) {
      const { stored, party } = await callFor(principal, callId);
      requireInMedia(stored, party);
      // NOTE: a share that opened on hold would be relayed at once: the hold stops screens only when it begins.
      if (stored.state.phase !== 'active') throw new CallError('FD_CALL_NOT_ALLOWED', 'screens are shared while the call is connected (not on hold)');
      return relay.publish(stored, party, offer, sink);
    },

    async stop(principal: Principal, callId: string): Promise<void> {
      const { stored, party } = await callFor(principal, callId);
      await relay.stop(principal.appId, callId, stored.room, party, 'stopped');
    },

    async subscribe(principal: Principal, callId: string, sharer: PartyRef, sink: SignalSink) {
      const { stored, party } = await callFor(principal, callId);
      requireInMedia(stored, party);
      if (sharer.role === party.role && sharer.id === party.id) throw new CallError('FD_CALL_NOT_PARTICIPANT', "subscribe to another party's screen");
      if (!legOf(stored, sharer)) throw new CallError('FD_CALL_NOT_PARTICIPANT', 'that party is not in the call');
      return relay.subscribe(stored, party, sharer, sink);
    },

    async answer(principal: Principal, callId: string, legId: string, answer: Jsep): Promise<void> {
      await relay.answer(callId, partyOf(principal), legId, answer);
    },

    /** ICE restart (or a new offer) of one's own screen publisher leg. */
    renegotiate(principal: Principal, callId: string, legId: string, offer: Jsep): Promise<{ answer: Jsep }> {
      return relay.renegotiate(callId, partyOf(principal), legId, offer);
    },

    /** ICE restart of one's own screen subscriber leg: the media server's new offer. */
    restart(principal: Principal, callId: string, legId: string): Promise<{ offer: Jsep }> {
      return relay.restart(callId, partyOf(principal), legId);
    },

    async ice(principal: Principal, callId: string, legId: string, candidate: IceCandidate | null): Promise<void> {
      await relay.ice(callId, partyOf(principal), legId, candidate);
    },

    /** `isShareState`: the screens shared in the call now. */
    async state(principal: Principal, callId: string): Promise<ScreenShareState> {
      await callFor(principal, callId, { toAct: false });
      return { callId, shares: await shares.open(principal.appId, callId) };
    },
  };
}

export type ScreenShareService = ReturnType<typeof createScreenShareService>;
