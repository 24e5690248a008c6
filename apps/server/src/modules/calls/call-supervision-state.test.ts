import type { CallSupervisionStep } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { activeOf, agentViewOf, currentOf, isSilentStep, mayReceive, receiversOf } from './call-supervision-state.ts';
import type { Participant } from './engine/types.ts';

let seq = 0;
function step(supervisorId: string, mode: CallSupervisionStep['mode'], textOnly = false): CallSupervisionStep {
  seq++;
  return { id: `s${seq}`, callId: 'c1', supervisorId, mode, previousMode: null, textOnly, seq, at: seq };
}
const leg = (role: 'visitor' | 'agent', userId: string, state: Participant['leg'] = 'connected') => ({ role, userId, leg: state }) as Participant;
const call = { id: 'c1', phase: 'active' as const, participants: [leg('visitor', 'v'), leg('agent', 'a'), leg('agent', 'gone', 'left')] };
const V = { role: 'visitor' as const, id: 'v' };
const A = { role: 'agent' as const, id: 'a' };
const BOSS = { role: 'agent' as const, id: 'boss' };
const LEAD = { role: 'agent' as const, id: 'lead' };
const GONE = { role: 'agent' as const, id: 'gone' };

describe('call supervision state', () => {
  it('the current mode is the last step of that supervisor; stop and intercept end it; an ended call has nobody', () => {
    const steps = [step('boss', 'monitor'), step('lead', 'monitor', true), step('boss', 'barge')];
    expect(currentOf(steps, 'boss')?.mode).toBe('barge');
    expect(activeOf(call, steps).map((a) => [a.supervisorId, a.mode, a.textOnly])).toEqual([
      ['boss', 'barge', false],
      ['lead', 'monitor', true],
    ]);
    expect(currentOf([...steps, step('boss', 'intercept')], 'boss')).toBeNull();
    expect(currentOf([...steps, step('boss', 'stop')], 'boss')).toBeNull();
    expect(activeOf({ ...call, phase: 'ended' }, steps)).toEqual([]);
  });

  it('who receives whom, mode by mode: monitor nobody, whisper the agent, barge everybody; supervisors hear the parties', () => {
    const receivers = (...steps: CallSupervisionStep[]) => receiversOf(call, activeOf(call, steps), BOSS).map((p) => p.id).sort();
    expect(receivers(step('boss', 'monitor'), step('lead', 'monitor'))).toEqual([]);
    expect(receivers(step('boss', 'whisper'), step('lead', 'monitor'))).toEqual(['a', 'lead']);
    expect(receivers(step('boss', 'barge'), step('lead', 'monitor'))).toEqual(['a', 'lead', 'v']);
    // A text-only supervisor receives nothing, even a barging one.
    expect(receivers(step('boss', 'barge'), step('lead', 'monitor', true))).toEqual(['a', 'v']);
    const active = activeOf(call, [step('boss', 'monitor')]);
    expect([V, A].map((p) => mayReceive(call, active, BOSS, p))).toEqual([true, true]);
    // The parties keep receiving each other; one who left receives nobody; nobody receives itself.
    expect([mayReceive(call, active, V, A), mayReceive(call, active, A, V), mayReceive(call, active, GONE, V), mayReceive(call, active, BOSS, BOSS)]).toEqual([true, true, false, false]);
    // A supervisor not following the call (or text-only) receives nothing.
    expect(mayReceive(call, active, LEAD, V)).toBe(false);
    expect(mayReceive(call, activeOf(call, [step('lead', 'monitor', true)]), LEAD, V)).toBe(false);
  });

  it('silent steps: monitor, and the stop that ends it', () => {
    expect([{ mode: 'monitor', previousMode: null }, { mode: 'stop', previousMode: 'monitor' }, { mode: 'stop', previousMode: 'whisper' }, { mode: 'whisper', previousMode: 'monitor' }].map((s) => isSilentStep(s as CallSupervisionStep))).toEqual([true, true, false, false]);
  });

  it("the agent's view of steps: never a monitor; back to monitor reads as a stop; from monitor reads as from nothing", () => {
    const seen = (mode: CallSupervisionStep['mode'], previousMode: CallSupervisionStep['previousMode']) => {
      const view = agentViewOf({ id: 'css_1', callId: 'call_1', supervisorId: 'boss', mode, previousMode, textOnly: false, seq: 1, at: 0 });
      return view && [view.mode, view.previousMode];
    };
    expect(seen('monitor', null)).toBeNull();
    expect(seen('stop', 'monitor')).toBeNull();
    expect(seen('whisper', 'monitor')).toEqual(['whisper', null]);
    expect(seen('barge', 'whisper')).toEqual(['barge', 'whisper']);
    expect(seen('monitor', 'whisper')).toEqual(['stop', 'whisper']);
    expect(seen('monitor', 'barge')).toEqual(['stop', 'barge']);
    expect(seen('stop', 'barge')).toEqual(['stop', 'barge']);
    expect(seen('intercept', 'monitor')).toEqual(['intercept', null]);
  });
});
