import type { SupervisionStep, SupervisionStepKind } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { activeOf, currentModeOf, isSilent, stepAudience, stepsForAgents, whisperAudience } from './supervision-state.ts';

let seq = 0;
function step(supervisorId: string, mode: SupervisionStepKind, previousMode: SupervisionStepKind | null, at: number): SupervisionStep {
  seq++;
  return { id: `s${seq}`, conversationId: 'c1', supervisorId, mode, previousMode, seq, at };
}
const open = { id: 'c1', status: 'open' as const, agentId: 'agent' };

describe('supervision state', () => {
  it('the current mode is the last step of that supervisor; stop and intercept end it', () => {
    const steps = [step('boss', 'monitor', null, 1), step('lead', 'whisper', null, 2), step('boss', 'barge', 'monitor', 3)];
    expect(currentModeOf(steps, 'boss')).toBe('barge');
    expect(currentModeOf(steps, 'lead')).toBe('whisper');
    expect(currentModeOf(steps, 'nobody')).toBeNull();
    expect(currentModeOf([...steps, step('boss', 'stop', 'barge', 4)], 'boss')).toBeNull();
    expect(currentModeOf([...steps, step('boss', 'intercept', 'barge', 4)], 'boss')).toBeNull();
    expect(activeOf(open, steps)).toEqual([
      { conversationId: 'c1', supervisorId: 'boss', mode: 'barge', since: 3 },
      { conversationId: 'c1', supervisorId: 'lead', mode: 'whisper', since: 2 },
    ]);
    expect(activeOf({ ...open, status: 'closed' }, steps)).toEqual([]);
  });

  it('silent monitoring is never told to the agent; whispers reach the agent and every supervisor following', () => {
    const monitor = step('boss', 'monitor', null, 1);
    const stopMonitor = step('boss', 'stop', 'monitor', 2);
    const whisper = step('boss', 'whisper', 'monitor', 2);
    expect([monitor, stopMonitor, whisper].map(isSilent)).toEqual([true, true, false]);
    expect(stepsForAgents([monitor, whisper, stopMonitor])).toEqual([whisper]);
    expect(stepAudience(open, [monitor], monitor)).toEqual(['boss']);
    expect(stepAudience(open, [monitor, whisper], whisper).sort()).toEqual(['agent', 'boss']);
    const lead = step('lead', 'monitor', null, 3);
    expect(whisperAudience(open, [monitor, whisper, lead], 'boss').sort()).toEqual(['agent', 'boss', 'lead']);
    expect(whisperAudience({ ...open, agentId: null }, [whisper], 'boss')).toEqual(['boss']);
  });
});
