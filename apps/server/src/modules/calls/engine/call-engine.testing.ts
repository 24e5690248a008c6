/** Helpers for the call engine's tests: a clock, an action log, and readers over it. */
import { CallEngine } from './call-engine.ts';
import type { EasemobCode } from './easemob-codes.ts';
import type { CallAction, CallEngineOptions, CallEvent, PartyRef } from './types.ts';

export const agent = (id: string): PartyRef => ({ role: 'agent', id });
export const visitor = (id: string): PartyRef => ({ role: 'visitor', id });

export type Notify = Extract<CallAction, { type: 'notify' }>;
export type Ended = Extract<CallAction, { type: 'call.ended' }>;

export function harness(options: CallEngineOptions = {}) {
  const engine = new CallEngine(options);
  const log: CallAction[] = [];
  let clock = 0;
  const h = {
    engine,
    log,
    get now() {
      return clock;
    },
    /** Handles the event at `at` (default: the current clock) and returns what it decided. */
    run(event: CallEvent, at = clock) {
      clock = Math.max(clock, at);
      const result = engine.handle(event, clock);
      log.push(...result.actions);
      return result;
    },
    tick(at: number) {
      return h.run({ type: 'tick' }, at);
    },
    notices(agentId: string, callId?: string): Notify[] {
      return log.filter((a): a is Notify => a.type === 'notify' && a.agentId === agentId && (callId === undefined || a.callId === callId));
    },
    codes(agentId: string, callId?: string): EasemobCode[] {
      return h.notices(agentId, callId).map((n) => n.code);
    },
    ended(callId: string): Ended | undefined {
      return log.find((a): a is Ended => a.type === 'call.ended' && a.callId === callId);
    },
    /** Click-to-call answered by `agentId`, both parties' media up. */
    inboundActive(callId: string, visitorId: string, agentId: string) {
      h.run({ type: 'call.request', callId, conversationId: `conv-${visitorId}`, kind: 'video', visitorId });
      h.run({ type: 'routing.offered', callId, agentId, expiresAt: clock + 20_000 });
      h.run({ type: 'routing.assigned', callId, agentId });
      h.run({ type: 'media.connected', callId, participant: visitor(visitorId) });
      h.run({ type: 'media.connected', callId, participant: agent(agentId) });
    },
  };
  return h;
}
