import { startInternal } from './internal-call.ts';
import type { AgentCallActivity } from '@frontdesk/protocol';
import * as commands from './call-commands.ts';
import { earliestTimer, fireDueTimers } from './call-timers.ts';
import { DEFAULT_OPTIONS, EngineState, isInMedia, mainLeg } from './engine-state.ts';
import * as media from './media-events.ts';
import * as routing from './routing-events.ts';
import { intercept } from './intercept.ts';
import { transfer } from './transfer.ts';
import * as consult from './consult.ts';
import { pendingInvitee } from './third-party.ts';
import { CallRejection, type CallAction, type CallEngineOptions, type CallEvent, type CallState } from './types.ts';

/**
 * The call state machine (SPEC M18, M22–M24). `handle(event, now)` fires the timers due by `now`,
 * applies the event and returns the decisions, in order: facts to persist (call, participants, end
 * with its CDR summary), asks of routing and of the media server, and agent notices with their
 * Easemob code and TCCC event. Deterministic and without I/O, like the routing core: the shell logs
 * the events, applies the actions in one transaction and sends `tick` at `nextDeadline()`; any node
 * replaying the same events gets the same state and the same actions.
 *
 * NOTE: a class with `handle`, not `decide(state, event)`: a call is not alone. Agent capacity spans
 * calls, a media server's loss ends several at once, and timers of every call share one deadline, so
 * the state is the set of calls plus their indexes; the routing shell's replay-a-log model fits as is.
 *
 * Invariants (property-tested): every call ends exactly once, with one end reason and one hung-up
 * side, and nothing about it follows `call.ended`; no agent is in more calls than its
 * `maxConcurrentCalls`; each agent's Easemob codes follow the seed's transitions
 * (easemob-transitions.ts); a refused command changes nothing.
 */
export class CallEngine {
  private readonly st: EngineState;

  constructor(options: CallEngineOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.st = new EngineState({ ...DEFAULT_OPTIONS, ...given });
  }

  /**
   * An engine holding these calls as they were saved, its clock at `now` (the time of the last event
   * it handled for them: timers due since fire at their own deadlines): for a shell that loads one
   * call, decides and saves it (load-decide-save under the call's row lock) instead of replaying a log. Capacity across calls is then not the engine's to check:
   * give `maxConcurrentCalls` of Infinity and let routing hold it.
   */
  static restore(calls: readonly CallState[], now: number, options: CallEngineOptions = {}): CallEngine {
    const engine = new CallEngine(options);
    const st = engine.st;
    st.now = now;
    for (const saved of calls) {
      const call: CallState = structuredClone(saved);
      st.calls.set(call.id, call);
      if (call.phase === 'ended') continue;
      st.live.add(call);
      if (call.conversationId !== null) st.conversationCall.set(call.conversationId, call.id);
      for (const leg of call.participants) {
        if (leg.leg === 'left') continue;
        if (leg.role === 'visitor') st.visitorCall.set(leg.userId, call.id);
        else {
          let agentCalls = st.agentCalls.get(leg.userId);
          if (!agentCalls) st.agentCalls.set(leg.userId, (agentCalls = new Set()));
          agentCalls.add(call.id);
        }
      }
    }
    return engine;
  }

  /** Every call the engine knows (live and ended, until forgotten). For reading only. */
  get calls(): ReadonlyMap<string, CallState> {
    return this.st.calls;
  }

  handle(event: CallEvent, now: number): { actions: CallAction[]; rejection?: CallRejection } {
    const st = this.st;
    st.actions = [];
    const at = Math.max(st.now, now);
    fireDueTimers(st, at);
    st.now = at;
    let rejection: CallRejection | undefined;
    try {
      this.apply(event);
    } catch (err) {
      if (!(err instanceof CallRejection)) throw err;
      rejection = err;
    }
    const actions = st.actions;
    st.actions = [];
    return rejection ? { actions, rejection } : { actions };
  }

  /** When the shell should send the next `tick`, if any timer is armed. */
  nextDeadline(): number | undefined {
    return earliestTimer(this.st)?.at;
  }

  /**
   * Drops the calls that ended at least `olderThanMs` before the engine's clock; returns how many.
   * Commands naming a dropped call are refused with FD_CALL_NOT_FOUND instead of FD_CALL_ENDED.
   * What it drops depends only on the events handled, so replaying nodes stay identical when they
   * call it at the same log positions.
   */
  forgetEnded(olderThanMs = 0): number {
    const st = this.st;
    const cutoff = st.now - olderThanMs;
    let dropped = 0;
    while (st.endedHead < st.ended.length) {
      const { call, at } = st.ended[st.endedHead]!;
      if (at > cutoff) break;
      st.endedHead++;
      if (st.calls.get(call.id) === call) {
        st.calls.delete(call.id);
        dropped++;
      }
    }
    if (st.endedHead > st.ended.length / 2) {
      st.ended.splice(0, st.endedHead);
      st.endedHead = 0;
    }
    return dropped;
  }

  // ── queries ────────────────────────────────────────────────────────────────────────

  /** Live calls the agent has a leg in (ringing included): what `maxConcurrentCalls` bounds. */
  loadOf(agentId: string): number {
    return this.st.loadOf(agentId);
  }

  capacityOf(agentId: string): number {
    return this.st.capacityOf(agentId);
  }

  /** The live call of a conversation, if any. */
  callOfConversation(conversationId: string): CallState | undefined {
    const id = this.st.conversationCall.get(conversationId);
    return id === undefined ? undefined : this.st.calls.get(id);
  }

  /**
   * What the agent is doing in calls, for its Easemob base state (`easemobStateOf`): the most involved
   * of its live legs (three-party > inviting > two-party > calling out > ringing), or null.
   */
  activityOf(agentId: string): AgentCallActivity | null {
    const rank: AgentCallActivity[] = ['ringing', 'calling_out', 'two_party', 'inviting', 'three_party'];
    let best: AgentCallActivity | null = null;
    for (const callId of this.st.agentCalls.get(agentId) ?? []) {
      const call = this.st.calls.get(callId)!;
      const leg = this.st.legOf(call, { role: 'agent', id: agentId })!;
      let activity: AgentCallActivity;
      if (leg.leg === 'ringing') activity = 'ringing';
      else if (call.acceptedAt === null) activity = 'calling_out';
      else if (leg === mainLeg(call) && pendingInvitee(call)) activity = 'inviting';
      else activity = call.participants.filter(isInMedia).length >= 3 ? 'three_party' : 'two_party';
      if (best === null || rank.indexOf(activity) > rank.indexOf(best)) best = activity;
    }
    return best;
  }

  // ── events ─────────────────────────────────────────────────────────────────────────

  private apply(event: CallEvent): void {
    const st = this.st;
    switch (event.type) {
      case 'agent.capacity':
        if (!Number.isInteger(event.maxConcurrentCalls) || event.maxConcurrentCalls < 0) {
          throw new CallRejection('FD_CALL_NOT_ALLOWED', 'maxConcurrentCalls is a whole number of calls');
        }
        st.capacity.set(event.agentId, event.maxConcurrentCalls);
        return;
      case 'call.request':
        return commands.requestCall(st, event);
      case 'call.start_outbound':
        return commands.startOutbound(st, event);
      case 'call.start_internal':
        return startInternal(st, event);
      case 'call.accept':
        return commands.accept(st, event);
      case 'call.refuse':
        return commands.refuse(st, event);
      case 'call.hang_up':
        return commands.hangUp(st, event);
      case 'call.hold':
        return commands.hold(st, event);
      case 'call.unhold':
        return commands.unhold(st, event);
      case 'call.set_media':
        return commands.setMedia(st, event);
      case 'call.invite':
        return commands.inviteThirdParty(st, event);
      case 'call.intercept':
        return intercept(st, event);
      case 'call.transfer':
        return transfer(st, event);
      case 'call.consult':
        return consult.startConsult(st, event);
      case 'call.consult_complete':
        return consult.completeConsult(st, event);
      case 'call.consult_cancel':
        return consult.cancelConsult(st, event);
      case 'routing.queued':
        return routing.queued(st, event);
      case 'routing.offered':
        return routing.offered(st, event);
      case 'routing.offer_withdrawn':
        return routing.offerWithdrawn(st, event);
      case 'routing.assigned':
        return routing.assigned(st, event);
      case 'routing.released':
        return routing.released(st, event);
      case 'media.connected':
        return media.connected(st, event);
      case 'media.lost':
        return media.lost(st, event);
      case 'media.restored':
        return media.restored(st, event);
      case 'media.stopped':
        return media.stopped(st, event);
      case 'media.resumed':
        return media.resumed(st, event);
      case 'media.server_lost':
        return media.serverLost(st, event);
      case 'tick':
        return;
    }
  }
}
