import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opArb, optionsArb, toEvents } from './call-engine.arbitraries.ts';
import { CallEngine } from './call-engine.ts';
import type { CallAction, CallEngineOptions, CallEvent, CallState } from './types.ts';

/** The call an action is about (every action names one, except none). */
const callOf = (action: CallAction): string => ('callId' in action ? action.callId : action.call.id);

/** The calls an event concerns: the one it names, every live one for a tick, the named ones when a media server is lost. */
function callsOf(event: CallEvent, full: CallEngine): string[] {
  if (event.type === 'tick') return [...full.calls.values()].filter((c) => c.phase !== 'ended').map((c) => c.id);
  if (event.type === 'media.server_lost') return [...new Set(event.callIds)];
  return 'callId' in event ? [event.callId] : [];
}

describe('call engine, one call at a time (the calls shell loads, decides and saves each call)', () => {
  it('a call restored alone from its saved state decides exactly what one engine holding every call decides about it', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }), (given, ops) => {
        // Capacity across calls is routing's to hold: the shell's engines do not check it.
        const options: CallEngineOptions = { ...given, maxConcurrentCalls: Number.POSITIVE_INFINITY };
        const full = new CallEngine(options);
        const saved = new Map<string, CallState>();
        let now = 1_000_000;
        /** The full engine's clock before each event: its timers fire at their deadline, or at this if later. */
        let clockBefore = 0;
        for (const op of ops) {
          if (op.op === 'wait') now += op.ms;
          for (const event of [{ type: 'tick' } as CallEvent, ...toEvents(op, full, now)]) {
            const concerned = callsOf(event, full);
            const expected = full.handle(event, now);
            const restoredAt = clockBefore;
            clockBefore = Math.max(clockBefore, now);
            // One live call per visitor and per conversation is the shell's to check (a unique index, a query).
            if (expected.rejection?.code === 'FD_CALL_VISITOR_IN_CALL' || expected.rejection?.code === 'FD_CALL_CONVERSATION_IN_CALL') continue;
            const created = expected.actions.find((a) => a.type === 'call.created');
            const targets = created ? [created.call.id] : concerned;
            const actual: CallAction[] = [];
            for (const callId of targets) {
              const engine = CallEngine.restore(saved.has(callId) ? [saved.get(callId)!] : [], restoredAt, options);
              const result = engine.handle(event.type === 'media.server_lost' ? { type: 'media.server_lost', callIds: [callId] } : event, now);
              if (targets.length === 1) expect(result.rejection?.code).toBe(expected.rejection?.code);
              actual.push(...result.actions);
              const after = engine.calls.get(callId);
              if (after) saved.set(callId, after);
            }
            // Per call, the same decisions in the same order (a tick fires each call's timers in its own pass).
            for (const callId of new Set(expected.actions.map(callOf))) {
              expect(actual.filter((a) => callOf(a) === callId), `${event.type} on ${callId}`).toEqual(expected.actions.filter((a) => callOf(a) === callId));
            }
            expect(actual.length).toBe(expected.actions.length);
            for (const callId of targets) if (full.calls.has(callId)) expect(saved.get(callId)).toEqual(full.calls.get(callId));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
