import type { ActiveCallSupervision, Call, CallSupervisionJoin, CallSupervisionStep, CallSupervisionTimeline, LiveCall, SupervisionMode } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { RoutingService } from '../routing/index.ts';
import type { CallShell } from './call-shell.ts';
import type { CallStore, StoredCall } from './call-store.ts';
import { activeOf, agentViewOf, currentOf, isCallParty } from './call-supervision-state.ts';
import type { CallSupervisionStore } from './call-supervision-store.ts';
import { callView } from './call-view.ts';
import { CallError } from './calls.errors.ts';
import type { CallState } from './engine/types.ts';
import { iceServersFor, type TurnSettings } from './ice-servers.ts';
import type { MediaRelay } from './media-relay.ts';

const LIVE_BOARD_LIMIT = 500;

/**
 * Supervision of live calls (SPEC M28; TCCC `Call.monitor`, `Call.intercept`): a supervisor or
 * admin of the call's app enters a mode (monitor, whisper, barge), switches or stops; a switch
 * changes only who receives the supervisor (its own legs stay up). Every change is a step of the
 * call's supervision timeline (who, what, when), written under the call's row lock; the media
 * relay then applies the forwarding (call-supervision-state.ts). Intercept needs the call
 * supervised first (seed 004): the call engine moves the call to the supervisor, routing frees the
 * agent's call place, and the step ends the supervision; the visitor's conversation follows the
 * call to the supervisor (routing's take-over, as a chat intercept).
 */
export function createCallSupervision(deps: {
  clock: Clock;
  log: Logger;
  events: Events;
  store: CallStore;
  steps: CallSupervisionStore;
  shell: CallShell;
  relay: MediaRelay;
  routing: Pick<RoutingService, 'endIfLive' | 'intercept'>;
  conversations: Pick<ConversationsService, 'findConversation'>;
  turn?: TurnSettings | undefined;
}) {
  const { clock, log, events, store, steps, shell, relay, routing } = deps;

  /** The acting supervisor: an agent login of the supervisor role or above (API keys act for no one). */
  function supervisorOf(principal: Principal): string {
    if (principal.kind !== 'agent' || !hasRole(principal, 'supervisor')) throw new CallError('FD_AUTH_FORBIDDEN', 'only a supervisor or an admin supervises calls');
    return principal.agentId;
  }

  /** The call, answered and not ended, that the supervisor is not a party of (another app's is not found). */
  async function liveCall(appId: string, callId: string, supervisorId: string): Promise<StoredCall> {
    return requireLive(await store.find(appId, callId), callId, supervisorId);
  }

  /** The call as read, if it is live, answered and without the supervisor in it. */
  function requireLive(stored: StoredCall | undefined, callId: string, supervisorId: string): StoredCall {
    if (!stored) throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
    const { phase } = stored.state;
    if (phase === 'ended') throw new CallError('FD_CALL_ENDED', 'the call has ended');
    if (phase !== 'active' && phase !== 'held' && phase !== 'connecting') throw new CallError('FD_CALL_NOT_ALLOWED', 'the call is not answered yet');
    if (isCallParty(stored.state, { role: 'agent', id: supervisorId })) throw new CallError('FD_SUPERVISION_NOT_ALLOWED', 'you are in this call yourself');
    return stored;
  }

  /** Seed 004: voice monitoring is one call at a time; text-only monitoring may follow several. */
  async function requireNoOtherVoice(appId: string, callId: string, supervisorId: string): Promise<void> {
    const byCall = new Map<string, CallSupervisionStep[]>();
    for (const step of await steps.liveStepsOfSupervisor(appId, supervisorId)) byCall.set(step.callId, [...(byCall.get(step.callId) ?? []), step]);
    for (const [otherId, list] of byCall) {
      const current = currentOf(list, supervisorId);
      if (otherId !== callId && current && !current.textOnly) throw new CallError('FD_SUPERVISION_NOT_ALLOWED', `you supervise call ${otherId} by voice already: stop it first (text-only monitoring may follow several)`);
    }
  }

  /**
   * Writes the step under the call's row lock unless the supervisor is in that state already;
   * answers the steps before and after (equal when nothing was written).
   */
  async function record(appId: string, callId: string, supervisorId: string, mode: CallSupervisionStep['mode'], textOnly: boolean) {
    return events.transaction(async (ctx) => {
      const locked = await store.lock(ctx.tx, appId, callId);
      if (!locked) throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
      const before = await steps.stepsOf(appId, callId, ctx.tx);
      const current = currentOf(before, supervisorId);
      const unchanged = mode === 'stop' ? current === null : current?.mode === mode && current.textOnly === textOnly;
      if (unchanged) return { call: locked, before, after: before, step: null };
      const step: CallSupervisionStep = { id: newId('css'), callId, supervisorId, mode, previousMode: current?.mode ?? null, textOnly, seq: (before.at(-1)?.seq ?? 0) + 1, at: clock.now() };
      await steps.insert(ctx.tx, appId, step);
      return { call: locked, before, after: [...before, step], step };
    });
  }

  /** Tells the step: the supervisor's sockets as it is, the call's agents as they may know it (agentViewOf). */
  async function announce(appId: string, call: StoredCall, step: CallSupervisionStep): Promise<void> {
    await events.published('call.signal', { appId, to: { role: 'agent', id: step.supervisorId }, frame: { type: 'call.supervision', step } });
    const forAgents = agentViewOf(step);
    if (!forAgents) return;
    const agents = new Set(call.state.participants.filter((p) => p.role === 'agent' && p.leg !== 'left' && p.userId !== step.supervisorId).map((p) => p.userId));
    for (const id of agents) await events.published('call.signal', { appId, to: { role: 'agent', id }, frame: { type: 'call.supervision', step: forAgents } });
  }

  /**
   * The call's conversation follows it to the supervisor: routing's take-over, the path of a chat
   * intercept (the agent leaves it, its place is free; the visitor sees it left and another joined).
   * Only a conversation still open and held by the agent the call was taken from moves, so a second
   * ask changes nothing. NOTE: routing's transfer is one decision (off the agent and onto the
   * supervisor together): refused, nothing moved and the agent still holds the conversation, never
   * nobody; the call stays taken over (logged), and asking `intercept` again retries the hand-over.
   */
  async function handOverConversation(appId: string, call: CallState, fromAgentId: string, supervisorId: string): Promise<void> {
    if (!call.conversationId) return;
    const conversation = await deps.conversations.findConversation(appId, call.conversationId);
    if (!conversation || conversation.status !== 'open' || conversation.agentId !== fromAgentId) return;
    await routing.intercept(appId, conversation.id, supervisorId).catch((err: unknown) => log.warn({ err, callId: call.id, conversationId: conversation.id }, 'the call was taken over but its conversation stays with the agent'));
  }

  /** The agent a call was taken from by this supervisor (its leg left `intercepted`), if it was. */
  function interceptedFrom(call: CallState, supervisorId: string): string | null {
    if (call.mainAgentId !== supervisorId || !call.participants.some((p) => p.role === 'agent' && p.userId === supervisorId && p.origin === 'interceptor')) return null;
    return call.participants.find((p) => p.role === 'agent' && p.leftReason === 'intercepted')?.userId ?? null;
  }

  function joinOf(stored: StoredCall, supervisorId: string, active: ActiveCallSupervision[]): CallSupervisionJoin {
    return {
      call: callView(stored.appId, stored.state, stored.room !== null),
      iceServers: iceServersFor(deps.turn, `agent-${supervisorId}`, clock.now()),
      supervision: active.find((a) => a.supervisorId === supervisorId) ?? null,
    };
  }

  return {
    /** Enters a mode or stops (`stop`); answers the call, ICE servers and the supervisor's supervision now. */
    async supervise(principal: Principal, callId: string, mode: SupervisionMode | 'stop', textOnly = false): Promise<CallSupervisionJoin> {
      const supervisorId = supervisorOf(principal);
      if (textOnly && mode !== 'monitor') throw new CallError('FD_SUPERVISION_NOT_ALLOWED', 'only monitoring can be text-only');
      if (mode === 'stop') {
        const stored = await store.find(principal.appId, callId);
        if (!stored) throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
        if (stored.state.phase === 'ended') return joinOf(stored, supervisorId, []);
        const { before, after, step } = await record(principal.appId, callId, supervisorId, 'stop', false);
        if (step) {
          await relay.applySupervision(stored, activeOf(stored.state, before), activeOf(stored.state, after), supervisorId);
          await announce(principal.appId, stored, step);
        }
        return joinOf(stored, supervisorId, []);
      }
      await liveCall(principal.appId, callId, supervisorId);
      if (!textOnly) await requireNoOtherVoice(principal.appId, callId, supervisorId);
      const { call, before, after, step } = await record(principal.appId, callId, supervisorId, mode, textOnly);
      const active = activeOf(call.state, after);
      if (step) {
        log.info({ callId, supervisorId, mode, textOnly }, 'call supervision changed');
        await relay.applySupervision(call, activeOf(call.state, before), active, supervisorId);
        await announce(principal.appId, call, step);
      }
      return joinOf(call, supervisorId, active);
    },

    /**
     * Takes the call over (强拆): only while supervising it. The engine makes the supervisor the
     * main agent and takes the agent out of the room; routing frees the agent's call place.
     */
    async intercept(principal: Principal, callId: string): Promise<Call> {
      const supervisorId = supervisorOf(principal);
      // Asked again once taken over: only the conversation's hand-over is retried (idempotent).
      const found = await store.find(principal.appId, callId);
      const from = found && found.state.phase !== 'ended' ? interceptedFrom(found.state, supervisorId) : null;
      if (found && from) {
        await handOverConversation(principal.appId, found.state, from, supervisorId);
        return callView(found.appId, found.state, found.room !== null);
      }
      const stored = requireLive(found, callId, supervisorId);
      const droppedAgentId = stored.state.mainAgentId;
      const before = await steps.stepsOf(principal.appId, callId);
      const current = currentOf(before, supervisorId);
      if (!current) throw new CallError('FD_SUPERVISION_NOT_ACTIVE', 'monitor the call before taking it over');
      const { rejection } = await shell.decide(principal.appId, callId, { type: 'call.intercept', callId, supervisorId, hasMedia: !current.textOnly });
      if (rejection) throw new CallError(rejection.code, rejection.message);
      // NOTE: a second transaction, as for chats: the engine's decision is the take-over (its CDR
      // shows it); the step closes the supervision. The old agent's call place is routing's.
      const { after, step } = await record(principal.appId, callId, supervisorId, 'intercept', current.textOnly);
      const taken = (await store.find(principal.appId, callId))!;
      await routing.endIfLive(principal.appId, callId, 'admin').catch((err: unknown) => log.warn({ err, callId }, "could not free the intercepted agent's call place"));
      await relay.applySupervision(taken, activeOf(stored.state, before), activeOf(taken.state, after), supervisorId, stored.state);
      if (step) await announce(principal.appId, stored, step);
      if (droppedAgentId) await handOverConversation(principal.appId, taken.state, droppedAgentId, supervisorId);
      return callView(taken.appId, taken.state, taken.room !== null);
    },

    /** The supervision of a call: who supervises it now and every step (supervisors; agents see no silent monitoring). */
    async timeline(principal: Principal, callId: string): Promise<CallSupervisionTimeline> {
      if (principal.kind === 'visitor') throw new CallError('FD_AUTH_FORBIDDEN', 'supervision is for staff only');
      const stored = await store.find(principal.appId, callId);
      const isSupervisor = hasRole(principal, 'supervisor');
      const isParty = principal.kind === 'agent' && stored !== undefined && stored.state.participants.some((p) => p.role === 'agent' && p.userId === principal.agentId);
      if (!stored || !(isSupervisor || isParty)) throw new CallError('FD_CALL_NOT_FOUND', `call ${callId} not found`);
      const all = await steps.stepsOf(principal.appId, callId);
      const shown = isSupervisor ? all : all.flatMap((s) => agentViewOf(s) ?? []);
      const active = activeOf(stored.state, all).filter((a) => isSupervisor || a.mode !== 'monitor');
      return { callId, active, steps: shown };
    },

    /** The app's live calls with who supervises each (the supervisor board). */
    async live(principal: Principal): Promise<LiveCall[]> {
      if (principal.kind === 'visitor' || !hasRole(principal, 'supervisor')) throw new CallError('FD_AUTH_FORBIDDEN', 'the supervisor board is for supervisors');
      const [calls, byCall] = await Promise.all([store.live(principal.appId, LIVE_BOARD_LIMIT), steps.liveSteps(principal.appId)]);
      return calls.map((s) => ({ call: callView(s.appId, s.state, s.room !== null), queueId: s.state.queueId, supervisors: activeOf(s.state, byCall.get(s.state.id) ?? []) }));
    },

    /** Whether the principal supervises the call by voice now (it may then publish and subscribe). */
    async voiceSupervisorOf(principal: Principal, stored: StoredCall): Promise<boolean> {
      if (principal.kind !== 'agent' || !hasRole(principal, 'supervisor')) return false;
      const current = currentOf(await steps.stepsOf(stored.appId, stored.state.id), principal.agentId);
      return current !== null && !current.textOnly;
    },

    /** Every step of a call, for its CDR (reports). */
    stepsOf: (appId: string, callId: string) => steps.stepsOf(appId, callId),
  };
}

export type CallSupervision = ReturnType<typeof createCallSupervision>;
