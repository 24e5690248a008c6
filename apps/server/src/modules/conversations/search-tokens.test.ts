import fc from 'fast-check';
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

  it('the fast paths give the tokens of the plain rule (NFKC, lower case, split at every CJK run, every word cut)', () => {
    const cjk = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}]';
    const plain = (text: string): string[] => {
      const tokens = new Set<string>();
      for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
        for (const part of run.split(new RegExp(`(${cjk}+)`, 'u'))) {
          if (!part) continue;
          const chars = Array.from(part);
          if (new RegExp(cjk, 'u').test(part[0]!)) {
            if (chars.length === 1) tokens.add(chars[0]!);
            for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
          } else tokens.add(chars.slice(0, 40).join(''));
        }
      }
      return [...tokens];
    };
    // Pieces from every path: ASCII words, long words, accents (composed or not), full-width forms, CJK, emoji.
    const piece = fc.constantFrom('Order', 'a1', ' ', ', ', 'x'.repeat(45), 'é'.repeat(41), 'e\u0301', 'Ａ１', 'ｶﾀｶﾅ', '订单', '号', 'カナ', '한국', 'İ', 'ß', '😀'.repeat(41), '\u{20000}');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const text = pieces.join('');
      expect(searchTokens(text)).toEqual(plain(text));
    }), { numRuns: 500 });
  });
});
