import { describe, expect, it } from 'vitest';
import { analyze, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('cuts Chinese, which has no spaces, into dictionary words', () => {
    expect(tokenize('怎么退款？')).toEqual(['怎么', '退款']);
    expect(tokenize('请问发货时间是多久')).toContain('时间');
  });

  it('cuts Latin text on spaces and punctuation like MiniSearch does', () => {
    expect(tokenize("Where's my order? (#123)")).toEqual(['Where', 's', 'my', 'order', '123']);
  });

  it('cuts mixed text run by run', () => {
    expect(tokenize('how do I 退款 now')).toEqual(['how', 'do', 'I', '退款', 'now']);
  });

  it('folds full-width and compatibility characters before cutting', () => {
    expect(tokenize('ＲＥＴＵＲＮ，ｏｒｄｅｒ')).toEqual(['RETURN', 'order']);
  });
});

describe('analyze', () => {
  it('lower-cases and drops function words in both languages', () => {
    expect(analyze('How do I return my ORDER?')).toEqual(['return', 'order']);
    expect(analyze('我想退款怎么办')).toEqual(['退款']);
  });

  it('gives nothing for greetings and blank text', () => {
    expect(analyze('你好')).toEqual([]);
    expect(analyze('  hello!  ')).toEqual([]);
    expect(analyze('')).toEqual([]);
  });
});
