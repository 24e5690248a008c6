import type { Call, CallJoin, CallKind, Channel, Conversation, IceCandidate, Jsep, PartyRef } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { newId } from '../../platform/ids.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { RoutingService } from '../routing/index.ts';
import type { CallShell } from './call-shell.ts';
import type { CallStore, StoredCall } from './call-store.ts';
import { callView } from './call-view.ts';
import { CallError } from './calls.errors.ts';
import { liveLegOf } from './engine/engine-state.ts';
import { internalCalleeSession } from './internal-call-session.ts';
import type { CallEvent } from './engine/types.ts';
import { iceServersFor, type TurnSettings } from './ice-servers.ts';
import type { MediaServer } from './media/index.ts';
import type { MediaRelay, SignalSink } from './media-relay.ts';

/** The party a principal is in calls. */
function partyOf(principal: Principal): PartyRef {
  if (principal.kind === 'visitor') return { role: 'visitor', id: principal.visitorId };
  if (principal.kind === 'agent') return { role: 'agent', id: principal.agentId };
  throw new CallError('FD_AUTH_FORBIDDEN', 'calls are made by visitors and agents');
}

const legOf = (stored: StoredCall, party: PartyRef) => liveLegOf(stored.state, party);

const isUnavailable = (err: unknown): err is Error => err instanceof Error && 'code' in err && err.code === 'FD_ROUTING_AGENT_UNAVAILABLE';

/**
 * Calls (SPEC M22, M23): a visitor calls from its conversation, an agent calls the conversation's
 * visitor, parties answer, refuse, hang up, hold, mute; the browsers' media is relayed through the
 * media server (media-relay.ts). Every change of a call is one decision of the call engine, made by
 * the shell under the call's row lock; an agent's answer to a ringing call is routing's (it holds
 * offers, ring timeouts and capacity), which applies to the call in its own transaction.
 */
export function createCallsService(deps: {
  clock: Clock;
  store: CallStore;
  shell: CallShell;
  relay: MediaRelay;
  log: Logger;
  routing: Pick<RoutingService, 'accept' | 'decline' | 'assignCall' | 'endIfLive' | 'transferCall' | 'requireAgent' | 'requireQueue' | 'isSignedIn'>;
  conversations: { readable(principal: Principal, conversationId: string): Promise<Conversation> };
  channels: { getChannel(appId: string, channelId: string): Promise<Channel> };
  media: Pick<MediaServer, 'health'>;
  /** The app's people: a third visitor invited must be one (FD_VISITOR_NOT_FOUND otherwise); agents' names for the call's parties. */
  directory: { getVisitor(appId: string, visitorId: string): Promise<unknown>; getAgent(appId: string, agentId: string): Promise<{ name: string; avatarUrl?: string | null | undefined }> };
  turn?: TurnSettings | undefined;
  /** Whether an agent who is no party of the call supervises it by voice (it may then publish and subscribe). */
  isVoiceSupervisor: (principal: Principal, stored: StoredCall) => Promise<boolean>;
}) {
  const { clock, store, shell, relay, routing, conversations, channels, media, log } = deps;

  /**
   * NOTE: checked before anybody is rung: a call placed while no media server is up would ring an
   * agent, who answers into a room that cannot open (a media failure after the answer). Refused at
   * once, the caller gets the clear code and the chat goes on.
   */
  function requireMedia(): void {
    if (!media.health().some((instance) => instance.isUp)) throw new CallError('FD_CALL_MEDIA_UNAVAILABLE', 'calls are unavailable right now (no media server is up)');
  }

  async function decide(appId: string, callId: string, event: CallEvent): Promise<StoredCall> {
    const { rejection } = await shell.decide(appId, callId, event);
    if (rejection) throw new CallError(rejection.code, rejection.message);
    return (await store.find(appId, callId))!;
  }

  /** The call, for one of its parties (or a supervisor, who may read any call of the app). */
  async function callFor(principal: Principal, callId: string, { toAct = false } = {}): Promise<{ stored: StoredCall; party: PartyRef }> {
    const stored = await store.find(principal.appId, callId);
    const party = partyOf(principal);
    const isParty = stored?.state.participants.some((p) => p.role === party.role && p.userId === party.id);
    if (!stored || (!isParty && !(!toAct && hasRole(principal, 'supervisor')))) throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
    return { stored, party };
  }

  /** The call, for a party of it or a supervisor listening to it by voice (its media legs). */
  async function mediaCallFor(principal: Principal, callId: string): Promise<{ stored: StoredCall; party: PartyRef }> {
    const stored = await store.find(principal.appId, callId);
    const party = partyOf(principal);
    if (stored && stored.state.participants.some((p) => p.role === party.role && p.userId === party.id)) return { stored, party };
    if (stored && (await deps.isVoiceSupervisor(principal, stored))) return { stored, party };
    throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
  }

  function joinOf(stored: StoredCall, party: PartyRef): CallJoin {
    return { call: callView(stored.appId, stored.state, stored.room !== null), iceServers: iceServersFor(deps.turn, `${party.role}-${party.id}`, clock.now()) };
  }

  async function openConversation(principal: Principal, conversationId: string): Promise<Conversation> {
    const conversation = await conversations.readable(principal, conversationId);
    if (conversation.status !== 'open') throw new CallError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
    return conversation;
  }

  return {
    /**
     * A visitor calls from its conversation (Huawei click-to-call): the conversation's agent rings
     * first, then the channel's click-to-call queue; without either nobody could answer, so it is refused.
     */
    async start(principal: Principal, conversationId: string, kind: CallKind): Promise<CallJoin> {
      if (principal.kind !== 'visitor') throw new CallError('FD_AUTH_FORBIDDEN', 'a visitor calls from its conversation; agents use call.invite');
      const conversation = await openConversation(principal, conversationId);
      const channel = conversation.channelId ? await channels.getChannel(principal.appId, conversation.channelId) : undefined;
      if (!channel?.calls[kind]) throw new CallError('FD_CALL_NOT_ENABLED', `this channel offers no ${kind} calls`);
      if (!channel.calls.queueId && !conversation.agentId) throw new CallError('FD_CALL_NO_AGENT', 'nobody can take a call now: write in the chat first');
      if (await store.visitorInLiveCall(principal.appId, principal.visitorId)) throw new CallError('FD_CALL_VISITOR_IN_CALL', 'you are in a call already');
      requireMedia();
      const callId = newId('call');
      const stored = await decide(principal.appId, callId, {
        type: 'call.request',
        callId,
        conversationId,
        kind,
        visitorId: principal.visitorId,
        ...(channel.calls.queueId ? { queueId: channel.calls.queueId } : {}),
        ...(conversation.agentId ? { preferredAgentId: conversation.agentId } : {}),
      });
      return joinOf(stored, partyOf(principal));
    },

    /** The conversation's agent calls its visitor (videoInviteCurrentVisitor); the agent's call place is taken first. */
    async invite(principal: Principal, conversationId: string, kind: CallKind): Promise<CallJoin> {
      if (principal.kind !== 'agent') throw new CallError('FD_AUTH_FORBIDDEN', 'an agent calls the visitor');
      const conversation = await openConversation(principal, conversationId);
      if (conversation.agentId !== principal.agentId) throw new CallError('FD_CALL_NOT_ALLOWED', "only the conversation's agent calls its visitor");
      if (await store.visitorInLiveCall(principal.appId, conversation.visitorId)) throw new CallError('FD_CALL_VISITOR_IN_CALL', 'the visitor is in a call already');
      requireMedia();
      const callId = newId('call');
      await routing.assignCall(principal.appId, callId, principal.agentId).catch((err: unknown) => {
        throw err instanceof Error && 'code' in err && err.code === 'FD_ROUTING_AGENT_UNAVAILABLE' ? new CallError('FD_CALL_AGENT_AT_CAPACITY', err.message) : err;
      });
      try {
        const stored = await decide(principal.appId, callId, { type: 'call.start_outbound', callId, conversationId, kind, agentId: principal.agentId, visitorId: conversation.visitorId, target: 'current_visitor' });
        return joinOf(stored, partyOf(principal));
      } catch (err) {
        await routing.endIfLive(principal.appId, callId, 'seat');
        throw err;
      }
    },

    /**
     * An agent calls another agent of its app (internal call, TCCC `startInternalCall`). Both hold a
     * call place in routing for the whole call (busy while in it, free after): the caller's under the
     * call's id, the callee's under `internalCalleeSession`. Refused before anybody rings when the
     * callee is not an agent of this app, is signed out, or is in a call or cannot take one.
     */
    async startInternal(principal: Principal, calleeAgentId: string, kind: CallKind): Promise<CallJoin> {
      if (principal.kind !== 'agent') throw new CallError('FD_AUTH_FORBIDDEN', 'an agent calls another agent');
      if (calleeAgentId === principal.agentId) throw new CallError('FD_CALL_NOT_ALLOWED', 'you cannot call yourself');
      // NOTE: the app's agent directory: an agent of another app is not found here, as one that does not exist.
      await routing.requireAgent(principal.appId, calleeAgentId);
      if (!(await routing.isSignedIn(principal.appId, calleeAgentId))) throw new CallError('FD_CALL_AGENT_OFFLINE', 'that agent is signed out');
      if ((await store.liveCallsOf(principal.appId, 'agent', calleeAgentId)).length > 0) throw new CallError('FD_CALL_AGENT_BUSY', 'that agent is in another call');
      requireMedia();
      const callId = newId('call');
      await routing.assignCall(principal.appId, callId, principal.agentId).catch((err: unknown) => {
        throw isUnavailable(err) ? new CallError('FD_CALL_AGENT_AT_CAPACITY', err.message) : err;
      });
      try {
        await routing.assignCall(principal.appId, internalCalleeSession(callId), calleeAgentId).catch((err: unknown) => {
          throw isUnavailable(err) ? new CallError('FD_CALL_AGENT_BUSY', 'that agent cannot take a call now (another call, or wrapping up)') : err;
        });
        const stored = await decide(principal.appId, callId, { type: 'call.start_internal', callId, kind, agentId: principal.agentId, calleeAgentId });
        return joinOf(stored, partyOf(principal));
      } catch (err) {
        await routing.endIfLive(principal.appId, internalCalleeSession(callId), 'seat');
        await routing.endIfLive(principal.appId, callId, 'seat');
        throw err;
      }
    },

    /** Answers a ringing call: an agent takes routing's offer; the visitor called by an agent accepts. */
    async accept(principal: Principal, callId: string): Promise<CallJoin> {
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      const leg = party.role === 'agent' ? legOf(stored, party) : undefined;
      if (leg?.origin === 'offered') await routing.accept(principal, callId);
      else if (leg?.origin === 'transferee' && leg.leg === 'ringing') {
        // NOTE: routing first: the call's place moves to this agent (refused when it has none free), then the call follows.
        await routing.transferCall(principal.appId, callId, { agentId: party.id }).catch((err: unknown) => {
          throw err instanceof Error && 'code' in err && err.code === 'FD_ROUTING_AGENT_UNAVAILABLE' ? new CallError('FD_CALL_AGENT_BUSY', 'you cannot take a call now (another call, or not free)') : err;
        });
        await decide(principal.appId, callId, { type: 'call.accept', callId, by: party });
      } else await decide(principal.appId, callId, { type: 'call.accept', callId, by: party });
      return joinOf((await store.find(principal.appId, callId))!, party);
    },

    async refuse(principal: Principal, callId: string, reason: 'refused' | 'busy' = 'refused'): Promise<void> {
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      if (party.role === 'agent' && legOf(stored, party)?.origin === 'offered') await routing.decline(principal, callId);
      else await decide(principal.appId, callId, { type: 'call.refuse', callId, by: party, reason });
    },

    async hangUp(principal: Principal, callId: string): Promise<Call> {
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      // An agent rung by routing who hangs up has declined.
      if (party.role === 'agent' && legOf(stored, party)?.leg === 'ringing' && legOf(stored, party)?.origin === 'offered') {
        await routing.decline(principal, callId);
        return callView(stored.appId, (await store.find(principal.appId, callId))!.state, stored.room !== null);
      }
      const after = await decide(principal.appId, callId, { type: 'call.hang_up', callId, by: party });
      const kept = after.state.phase !== 'ended' && party.role === 'agent' && after.state.mainAgentId !== null && after.state.mainAgentId !== party.id && stored.state.mainAgentId === party.id;
      if (kept) {
        // A warm transfer: the call's place moves to the consulted agent; when routing cannot (it is not free), the first agent's place is freed anyway.
        await routing.transferCall(principal.appId, callId, { agentId: after.state.mainAgentId! }).catch(async (err: unknown) => {
          log.warn({ err, callId }, 'could not move a warm-transferred call to its new agent in routing');
          await routing.endIfLive(principal.appId, callId, 'seat');
        });
      }
      return callView(after.appId, after.state, after.room !== null);
    },

    async hold(principal: Principal, callId: string, held: boolean): Promise<Call> {
      const { party } = await callFor(principal, callId, { toAct: true });
      const after = await decide(principal.appId, callId, { type: held ? 'call.hold' : 'call.unhold', callId, by: party });
      return callView(after.appId, after.state, after.room !== null);
    },

    async setMedia(principal: Principal, callId: string, flags: { micMuted?: boolean | undefined; cameraOff?: boolean | undefined }): Promise<Call> {
      const { party } = await callFor(principal, callId, { toAct: true });
      const after = await decide(principal.appId, callId, { type: 'call.set_media', callId, by: party, ...flags });
      return callView(after.appId, after.state, after.room !== null);
    },

    /**
     * Blind transfer by the call's main agent (TCCC `Call.transfer`): to an agent, who rings (busy
     * when it is in another call), or to a queue, which routes the call like a new one while the
     * visitor waits on hold. The agent leaves the call at once.
     */
    async transfer(principal: Principal, callId: string, to: { agentId: string } | { queueId: string }): Promise<Call> {
      if (principal.kind !== 'agent') throw new CallError('FD_AUTH_FORBIDDEN', 'an agent transfers its call');
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      if (stored.state.mainAgentId !== party.id) throw new CallError('FD_CALL_NOT_ALLOWED', 'only the agent holding the call transfers it');
      if ('agentId' in to) {
        await routing.requireAgent(principal.appId, to.agentId);
        if (to.agentId !== party.id && (await store.liveCallsOf(principal.appId, 'agent', to.agentId)).length > 0) {
          throw new CallError('FD_CALL_AGENT_BUSY', 'that agent is in another call');
        }
      } else await routing.requireQueue(principal.appId, to.queueId);
      const after = await decide(principal.appId, callId, { type: 'call.transfer', callId, by: party, to });
      return callView(after.appId, after.state, after.room !== null);
    },

    /**
     * Consult (warm transfer, step 1): the call's agent puts the visitor on hold and calls another
     * agent of the app, who rings (busy when it is in another call).
     */
    async consult(principal: Principal, callId: string, agentId: string): Promise<Call> {
      if (principal.kind !== 'agent') throw new CallError('FD_AUTH_FORBIDDEN', 'an agent consults another agent');
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      if (stored.state.mainAgentId !== party.id) throw new CallError('FD_CALL_NOT_ALLOWED', 'only the agent holding the call consults');
      await routing.requireAgent(principal.appId, agentId);
      if (agentId !== party.id && (await store.liveCallsOf(principal.appId, 'agent', agentId)).length > 0) throw new CallError('FD_CALL_AGENT_BUSY', 'that agent is in another call');
      const after = await decide(principal.appId, callId, { type: 'call.consult', callId, by: party, agentId });
      return callView(after.appId, after.state, after.room !== null);
    },

    /**
     * The call's main agent invites a third party (Easemob videoInviteAgent / videoInviteVisitor,
     * SPEC M24): an agent or a visitor of the app rings under the core's timer; it answers, refuses or
     * rings out, and may leave later without ending the call. Up to 6 parties, one invite at a time.
     * Refused before anybody rings when the invitee is not of this app, is signed out (an agent), or
     * is in another call.
     */
    async addParty(principal: Principal, callId: string, invitee: { agentId: string } | { visitorId: string }): Promise<Call> {
      if (principal.kind !== 'agent') throw new CallError('FD_AUTH_FORBIDDEN', 'an agent invites a third party');
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      if (stored.state.mainAgentId !== party.id) throw new CallError('FD_CALL_NOT_ALLOWED', 'only the agent holding the call invites a third party');
      // NOTE: the engine sees this call only: a party busy in another call is refused here.
      const inOtherCall = (calls: StoredCall[]) => calls.some((c) => c.state.id !== callId);
      let ref: PartyRef;
      if ('agentId' in invitee) {
        ref = { role: 'agent', id: invitee.agentId };
        await routing.requireAgent(principal.appId, invitee.agentId);
        if (!(await routing.isSignedIn(principal.appId, invitee.agentId))) throw new CallError('FD_CALL_AGENT_OFFLINE', 'that agent is signed out');
        if (inOtherCall(await store.liveCallsOf(principal.appId, 'agent', invitee.agentId))) throw new CallError('FD_CALL_AGENT_BUSY', 'that agent is in another call');
      } else {
        ref = { role: 'visitor', id: invitee.visitorId };
        await deps.directory.getVisitor(principal.appId, invitee.visitorId);
        if (inOtherCall(await store.liveCallsOf(principal.appId, 'visitor', invitee.visitorId))) throw new CallError('FD_CALL_VISITOR_IN_CALL', 'that visitor is in another call');
      }
      const after = await decide(principal.appId, callId, { type: 'call.invite', callId, by: party, invitee: ref });
      return callView(after.appId, after.state, after.room !== null);
    },

    /** Complete (three-way now; the call stays with the consulted agent when this agent hangs up) or cancel (back to the visitor). */
    async endConsult(principal: Principal, callId: string, how: 'complete' | 'cancel'): Promise<Call> {
      const { party } = await callFor(principal, callId, { toAct: true });
      const after = await decide(principal.appId, callId, { type: how === 'complete' ? 'call.consult_complete' : 'call.consult_cancel', callId, by: party });
      return callView(after.appId, after.state, after.room !== null);
    },

    /** After a reload or a reconnect: the call and fresh ICE servers; the client publishes and subscribes again. */
    async rejoin(principal: Principal, callId: string): Promise<CallJoin> {
      const { stored, party } = await callFor(principal, callId, { toAct: true });
      if (!legOf(stored, party) || stored.state.phase === 'ended') throw new CallError('FD_CALL_ENDED', 'the call has ended');
      return joinOf(stored, party);
    },

    get: async (principal: Principal, callId: string): Promise<Call> => {
      const { stored } = await callFor(principal, callId);
      return callView(stored.appId, stored.state, stored.room !== null);
    },

    /**
     * An agent who is (or was) a party of the call, as the call's parties see it: its display name and
     * avatar (a third party's window names the agents it never chatted with). Other agents are not found.
     */
    async agentOf(principal: Principal, callId: string, agentId: string): Promise<{ id: string; name: string; avatarUrl?: string }> {
      const { stored } = await callFor(principal, callId);
      if (!stored.state.participants.some((p) => p.role === 'agent' && p.userId === agentId)) throw new CallError('FD_AGENT_NOT_FOUND', `agent ${agentId} is not in this call`);
      const agent = await deps.directory.getAgent(principal.appId, agentId);
      return { id: agentId, name: agent.name, ...(agent.avatarUrl ? { avatarUrl: agent.avatarUrl } : {}) };
    },

    /** A conversation's calls, newest first, for those who may read the conversation. */
    async ofConversation(principal: Principal, conversationId: string): Promise<Call[]> {
      await conversations.readable(principal, conversationId);
      return (await store.list(principal.appId, { conversationId, limit: 50 })).map((s) => callView(s.appId, s.state, s.room !== null));
    },

    hasLiveCalls: () => store.hasLiveCalls(),

    /** The live calls a principal is in (its sockets rejoin them after `hello`). */
    async liveCallsOf(principal: Principal): Promise<Call[]> {
      if (principal.kind === 'apiKey') return [];
      const party = partyOf(principal);
      return (await store.liveCallsOf(principal.appId, party.role, party.id)).map((s) => callView(s.appId, s.state, s.room !== null));
    },

    // ── signalling: each only for a party of the call (or a voice supervisor), relayed by this node ───────────────
    async publish(principal: Principal, callId: string, offer: Jsep, sink: SignalSink) {
      const { stored, party } = await mediaCallFor(principal, callId);
      return relay.publish(stored, party, offer, sink);
    },
    async renegotiate(principal: Principal, callId: string, legId: string, offer: Jsep) {
      const { party } = await mediaCallFor(principal, callId);
      return relay.renegotiate(callId, party, legId, offer);
    },
    async subscribe(principal: Principal, callId: string, publisher: PartyRef, sink: SignalSink) {
      const { stored, party } = await mediaCallFor(principal, callId);
      return relay.subscribe(stored, party, publisher, sink);
    },
    async answer(principal: Principal, callId: string, legId: string, answer: Jsep): Promise<void> {
      const { party } = await mediaCallFor(principal, callId);
      await relay.answer(callId, party, legId, answer);
    },
    async restart(principal: Principal, callId: string, legId: string) {
      const { party } = await mediaCallFor(principal, callId);
      return relay.restart(callId, party, legId);
    },
    async ice(principal: Principal, callId: string, legId: string, candidate: IceCandidate | null): Promise<void> {
      await relay.ice(callId, partyOf(principal), legId, candidate);
    },
  };
}

export type CallsService = ReturnType<typeof createCallsService>;
export type CallsServiceDeps = Parameters<typeof createCallsService>[0];
