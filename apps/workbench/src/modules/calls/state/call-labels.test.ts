import { CALL_END_REASONS, type Call } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { CALL_STRINGS } from '../locales/index.ts';
import { callErrorText, endReasonText } from './call-labels.ts';

const call = (patch: Partial<Call>) => ({ mainAgentId: 'agt_me', endReason: 'agent_hung_up', ...patch }) as Call;

describe('calls in the agent\'s words', () => {
  it('the agent who hung up reads "you", another agent\'s call reads "the agent"', () => {
    const s = CALL_STRINGS.en;
    expect(endReasonText(call({}), 'agt_me', s)).toBe('You hung up');
    expect(endReasonText(call({}), 'agt_other', s)).toBe('The agent hung up');
    expect(endReasonText(call({ endReason: 'visitor_refused' }), 'agt_me', s)).toBe('The visitor declined');
  });

  it('every end reason has words in English and Chinese', () => {
    for (const s of Object.values(CALL_STRINGS)) {
      for (const reason of CALL_END_REASONS) expect(endReasonText(call({ endReason: reason }), 'agt_me', s).length).toBeGreaterThan(0);
    }
  });

  it('media and server failures read as what to do; others keep their message', () => {
    const s = CALL_STRINGS.en;
    expect(callErrorText('FD_CALL_MEDIA_UNAVAILABLE', 'x', s)).toMatch(/^Calls are unavailable right now/);
    expect(callErrorText('FD_SDK_MEDIA_PERMISSION_DENIED', 'x', s)).toMatch(/not allowed/);
    expect(callErrorText('SDK_TIMEOUT', 'no reply in 15 s', s)).toBe('The call failed: no reply in 15 s');
  });

  it('Chinese has every string, with the same placeholders as English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, english] of Object.entries(CALL_STRINGS.en)) {
      const chinese = CALL_STRINGS.zh[key as keyof typeof CALL_STRINGS.en];
      expect(chinese.trim().length, key).toBeGreaterThan(0);
      expect(placeholders(chinese), key).toEqual(placeholders(english));
    }
  });
});
