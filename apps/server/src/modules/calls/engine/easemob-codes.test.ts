import { describe, expect, it } from 'vitest';
import { easemobStateOf } from '@frontdesk/protocol';
import { ALL_EASEMOB_CODES, EASEMOB, baseOf, flowOf } from './easemob-codes.ts';
import { EASEMOB_START_CODES, EASEMOB_TRANSITIONS, isAllowedEasemobTransition, isFinalCode, isOneFlow } from './easemob-transitions.ts';

describe('Easemob state codes', () => {
  it('are six digits, one name each, with the seed\'s typos (0050010, 0020010) read as 005010 and 002010', () => {
    for (const code of ALL_EASEMOB_CODES) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(ALL_EASEMOB_CODES).size).toBe(ALL_EASEMOB_CODES.length);
    expect(EASEMOB.agentInvite_agentCloseVideo).toBe('005010');
    expect(EASEMOB.callCurrentVisitor_agentCloseVideo_notAnswer).toBe('002010');
    // the seed's list and callback example, not its constant: 006002 busy, 006003 timeout
    expect([EASEMOB.inviteThirdVisitor_busy, EASEMOB.inviteThirdVisitor_Timeout]).toEqual(['006002', '006003']);
  });

  it('maps an agent status to its base code: not-ready and rest are 001000 busy (001001/001002 are invite timeouts)', () => {
    expect(easemobStateOf('offline')).toBe('000000');
    expect(easemobStateOf('not_ready')).toBe('001000');
    expect(easemobStateOf('rest')).toBe('001000');
    expect(easemobStateOf('busy')).toBe('001000');
    expect(easemobStateOf('free')).toBe('002000');
    expect(easemobStateOf('wrap_up')).toBe('005000');
    expect(easemobStateOf('busy', 'calling_out')).toBe('003000');
    expect(easemobStateOf('busy', 'ringing')).toBe('004000');
    expect(easemobStateOf('busy', 'two_party')).toBe('006000');
    expect(easemobStateOf('busy', 'inviting')).toBe('007000');
    expect(easemobStateOf('busy', 'three_party')).toBe('008000');
    expect(easemobStateOf('offline', 'two_party')).toBe('000000');
  });

  it('has a place in the transition table for every transition code: a start, a successor list, or a final code', () => {
    const placeless = ALL_EASEMOB_CODES.filter((code) => !EASEMOB_START_CODES.has(code) && !EASEMOB_TRANSITIONS.has(code) && !isFinalCode(code));
    // only base codes that a status gives and no call transition does: not signed in, calling out, two-party, inviting
    expect(placeless).toEqual(['000000', '003000', '006000', '007000']);
    expect(placeless.every((code) => baseOf(code) === code)).toBe(true);
    for (const next of EASEMOB_TRANSITIONS.values()) for (const code of next) expect(ALL_EASEMOB_CODES).toContain(code);
  });

  it('allows the seed\'s own callback sequences and refuses codes out of their flow', () => {
    expect(isAllowedEasemobTransition(null, '003001')).toBe(true);
    expect(isAllowedEasemobTransition('003001', '006011')).toBe(true);
    expect(isAllowedEasemobTransition('006011', '005003')).toBe(true);
    expect(isAllowedEasemobTransition('005003', '004000'), 'after-call, then the next call rings').toBe(true);
    expect(isAllowedEasemobTransition(null, '006011'), 'accepted without an invite sent').toBe(false);
    expect(isAllowedEasemobTransition('003001', '005003'), 'hung up after answer before any answer').toBe(false);
    expect(isAllowedEasemobTransition('007002', '006001'), 'a visitor refusal answering an agent invite').toBe(false);
    expect(isOneFlow(['003001', '006011', '007002', '008002', '005002'])).toBe(true);
    expect(isOneFlow(['004000', '006013', '005003']), 'an inbound call ending as an outbound one').toBe(false);
    expect(isOneFlow(['004000', '006014', '007001']), 'an invited agent inviting').toBe(false);
    expect([flowOf('006014'), flowOf('004000'), flowOf('002010')]).toEqual(['agentInvite', 'base', 'callCurrentVisitor']);
  });
});
