import { hasCjk } from './tokenize.ts';

/**
 * Finds the first hand-off keyword the visitor's message contains, case-insensitively after
 * NFKC folding (so full-width "ＨＵＭＡＮ" counts).
 *
 * NOTE: a keyword with Han/kana in it matches as a substring, because Chinese has no word
 * boundaries ("我要转人工吧" contains 转人工); the flip side is that 人工 also fires inside
 * 人工智能, which admins can avoid by listing 转人工 only. Any other keyword matches whole
 * words only, so "agentic" or "humane" do not hand off for "agent" or "human".
 */
export function findHandOffKeyword(keywords: readonly string[], visitorText: string): string | undefined {
  const text = fold(visitorText);
  for (const keyword of keywords) {
    const needle = fold(keyword).trim();
    if (needle.length === 0) continue;
    if (hasCjk(needle) ? text.includes(needle) : wholeWord(needle).test(text)) return keyword;
  }
  return undefined;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const wholeWordCache = new Map<string, RegExp>();

/** Not preceded or followed by a letter, mark or digit; inner spaces match any run of spaces. */
function wholeWord(needle: string): RegExp {
  let re = wholeWordCache.get(needle);
  if (!re) {
    const body = needle
      .split(/\s+/u)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])${body}(?![\\p{L}\\p{M}\\p{N}_])`, 'u');
    if (wholeWordCache.size > 500) wholeWordCache.clear();
    wholeWordCache.set(needle, re);
  }
  return re;
}
