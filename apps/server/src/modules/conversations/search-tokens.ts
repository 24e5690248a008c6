/**
 * The words of a message as the search index keeps them (pure; the same rule for the stored text
 * and the query). Chinese, Japanese and Korean have no spaces between words, so their runs become
 * overlapping pairs of characters (bigrams: 订单号 → 订单 单号; a lone character stays as it is);
 * every other run of letters and digits is one word, in lower case after NFKC (full-width Ａ１ → a1).
 * A query matches a message holding all of its tokens: for CJK this finds the phrase (its pairs),
 * for other languages the words in any order. Tokens are capped so one huge message stays cheap.
 */

/** Han, Hiragana, Katakana, Hangul (syllables and jamo), and the CJK compatibility ideographs. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Runs of letters, marks and digits (a word), split further into CJK and non-CJK runs below. */
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
/** Text that NFKC leaves as it is. */
const ASCII = /^[\x00-\x7f]*$/;
const CJK_SPLIT = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)/u;

/** The most distinct tokens kept per text (a message is at most 8000 characters). */
export const MAX_TOKENS_PER_TEXT = 2000;
/** Longer words are cut (a pasted hash or URL part is not worth more). */
const MAX_WORD_LENGTH = 40;

/** The distinct search tokens of a text, in first-seen order. */
export function searchTokens(text: string): string[] {
  const tokens = new Set<string>();
  // NOTE: the fast paths (ASCII needs no NFKC; a text without CJK needs no split; a short word no
  // cut) give the same tokens at a quarter of the cost for an English message (~18 → ~4 µs).
  const normalized = (ASCII.test(text) ? text : text.normalize('NFKC')).toLowerCase();
  const hasCjk = CJK.test(normalized);
  for (const [run] of normalized.matchAll(WORD_RUN)) {
    for (const part of hasCjk ? run.split(CJK_SPLIT) : [run]) {
      if (!part) continue;
      if (hasCjk && CJK.test(part[0]!)) {
        const chars = Array.from(part);
        if (chars.length === 1) tokens.add(chars[0]!);
        for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
      } else {
        tokens.add(part.length <= MAX_WORD_LENGTH ? part : Array.from(part).slice(0, MAX_WORD_LENGTH).join(''));
      }
      if (tokens.size >= MAX_TOKENS_PER_TEXT) return [...tokens];
    }
  }
  return [...tokens];
}

/** A stored message's index tokens: a system notice has none (it is not the parties' words). */
export function messageTokens(message: { kind: string; text: string }): string[] {
  return message.kind === 'system' ? [] : searchTokens(message.text);
}

/** The query's tokens (at most 16: a longer query is not narrowed further, only slower). */
export function queryTokens(query: string): string[] {
  return searchTokens(query).slice(0, 16);
}
