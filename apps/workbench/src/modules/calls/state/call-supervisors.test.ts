import type { CallSupervisionStep } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { CALL_STRINGS } from '../locales/index.ts';
import { applySupervisionStep, NO_SUPERVISORS, supervisionNotices } from './call-supervisors.ts';

let seq = 0;
const step = (supervisorId: string, mode: CallSupervisionStep['mode'], previousMode: CallSupervisionStep['previousMode'] = null): CallSupervisionStep => ({
  id: `css_${++seq}`,
  callId: 'call_1',
  supervisorId,
  mode,
  previousMode,
  textOnly: false,
  seq,
  at: 1_000 * seq,
});
const names = new Map([['agt_sue', 'Sue']]);
const shown = (steps: CallSupervisionStep[], s = CALL_STRINGS.en) => supervisionNotices(steps.reduce(applySupervisionStep, NO_SUPERVISORS), (id) => names.get(id), s).map((n) => n.text);

describe("the agent's call: supervisors it hears", () => {
  it('a whisper and a barge show by name; a stop (or back to monitor, told as a stop) and an intercept take the banner down', () => {
    expect(shown([step('agt_sue', 'whisper')])).toEqual(['Supervisor Sue is whispering to you']);
    expect(shown([step('agt_sue', 'whisper'), step('agt_sue', 'barge', 'whisper')])).toEqual(['Supervisor Sue has joined the call']);
    expect(shown([step('agt_sue', 'barge'), step('agt_sue', 'stop', 'barge')])).toEqual([]);
    expect(shown([step('agt_sue', 'whisper'), step('agt_sue', 'intercept', 'whisper')])).toEqual([]);
    // Two supervisors: one line each; a name not known says "a supervisor".
    expect(shown([step('agt_sue', 'whisper'), step('agt_lee', 'barge')])).toEqual(['Supervisor Sue is whispering to you', 'A supervisor has joined the call']);
  });

  it('a monitor shows nothing (the server never sends one; were it to, nothing is heard)', () => {
    expect(shown([step('agt_sue', 'monitor')])).toEqual([]);
    expect(shown([step('agt_sue', 'whisper'), step('agt_sue', 'monitor', 'whisper')])).toEqual([]);
  });

  it('an older step (a reload read that lags a told step) changes nothing', () => {
    const barge = step('agt_sue', 'barge');
    const stop = step('agt_sue', 'stop', 'barge');
    expect([stop, barge].reduce(applySupervisionStep, NO_SUPERVISORS).heard).toEqual([]);
  });

  it('speaks Chinese too', () => {
    expect(shown([step('agt_sue', 'whisper'), step('agt_lee', 'barge')], CALL_STRINGS.zh)).toEqual(['主管Sue正在对你耳语', '主管已加入通话']);
  });
});
