import { describe, expect, it } from 'vitest';
import { queryTokens, searchTokens } from './search-tokens.ts';

describe('search tokens', () => {
  it('CJK runs become overlapping character pairs; other words are lower-cased whole', () => {
    expect(searchTokens('我的订单号是 A123，Refund please!')).toEqual(['我的', '的订', '订单', '单号', '号是', 'a123', 'refund', 'please']);
    expect(searchTokens('单')).toEqual(['单']);
    expect(searchTokens('カタカナ와 한국어')).toEqual(['カタ', 'タカ', 'カナ', 'ナ와', '한국', '국어']);
  });

  it('mixed runs split at the script change; NFKC folds full-width letters and digits', () => {
    expect(searchTokens('iPhone手机壳')).toEqual(['iphone', '手机', '机壳']);
    expect(searchTokens('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(searchTokens('Café crème')).toEqual(['café', 'crème']);
  });

  it('a query is found in a text that holds the phrase: its tokens are a subset', () => {
    const text = new Set(searchTokens('您好，我的订单还没有到，能帮我查一下物流吗？'));
    for (const query of ['订单', '查一下物流', '还没有到']) expect(queryTokens(query).every((t) => text.has(t)), query).toBe(true);
    expect(queryTokens('退款').every((t) => text.has(t))).toBe(false);
  });

  it('tokens are distinct and capped; punctuation and spaces alone give none', () => {
    expect(searchTokens('ok ok OK')).toEqual(['ok']);
    expect(searchTokens(' ,.!?，。 ')).toEqual([]);
    expect(searchTokens('x'.repeat(100))).toEqual(['x'.repeat(40)]);
    expect(queryTokens(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).toHaveLength(16);
  });
});
