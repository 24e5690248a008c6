import { describe, expect, it } from 'vitest';
import { DEFAULT_HAND_OFF_KEYWORDS } from './bot-settings.ts';
import { findHandOffKeyword } from './hand-off.ts';

const find = (text: string, keywords: readonly string[] = DEFAULT_HAND_OFF_KEYWORDS) => findHandOffKeyword(keywords, text);

describe('findHandOffKeyword', () => {
  it('finds a Chinese keyword anywhere in the message', () => {
    expect(find('转人工')).toBe('转人工');
    expect(find('你好，我要转人工服务！')).toBe('转人工');
    expect(find('找个人工客服')).toBe('人工');
  });

  it('finds a Latin keyword as a whole word, in any case', () => {
    expect(find('I want a human')).toBe('human');
    expect(find('HUMAN please')).toBe('human');
    expect(find('talk to an agent.')).toBe('agent');
    expect(find('agent?')).toBe('agent');
  });

  it('does not hand off on a longer word that starts with a keyword', () => {
    expect(find('tell me about agentic workflows')).toBeUndefined();
    expect(find('is the return policy humane')).toBeUndefined();
    expect(find('subagent')).toBeUndefined();
    expect(find('agent_x')).toBeUndefined();
  });

  it('folds full-width letters before comparing', () => {
    expect(find('ＨＵＭＡＮ')).toBe('human');
  });

  it('matches a multi-word keyword across any run of spaces', () => {
    expect(find('can I speak to a  REAL   person', ['real person'])).toBe('real person');
    expect(find('a real personality', ['real person'])).toBeUndefined();
  });

  it('treats regular-expression characters in a keyword literally', () => {
    expect(find('I need c++ help', ['c++'])).toBe('c++');
    expect(find('I need cc help', ['c.'])).toBeUndefined();
  });

  it('ignores blank keywords and finds nothing in a message without one', () => {
    expect(find('anything', ['', '   '])).toBeUndefined();
    expect(find('where is my parcel')).toBeUndefined();
  });
});
