import MiniSearch from 'minisearch';

/**
 * Text analysis shared by the FAQ index and the queries run against it, so a visitor's words
 * and an FAQ's words are cut and folded the same way.
 *
 * NOTE: Chinese and Japanese have no spaces between words, so runs of Han/kana are cut by
 * `Intl.Segmenter` (ICU's dictionary segmenter, locale 'zh', granularity 'word'), keeping the
 * word-like segments; everything else goes through MiniSearch's default tokenizer (split on
 * spaces and punctuation). Mixed text ("how do I 退款") is cut run by run.
 */

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]+/gu;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const defaultTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/**
 * Function words that would make every question look alike ("how do I …", "我想…怎么办").
 * They are dropped at index and query time; a phrase made only of them matches nothing.
 */
const STOP_WORDS = new Set([
  // en
  'a', 'an', 'the', 'i', 'me', 'my', 'you', 'your', 'we', 'our', 'us', 'it', 'its', 'this', 'that',
  'is', 'are', 'am', 'was', 'were', 'be', 'been', 'do', 'does', 'did', 'can', 'could', 'would',
  'should', 'will', 'shall', 'may', 'to', 'of', 'in', 'on', 'for', 'at', 'by', 'with', 'from',
  'and', 'or', 'but', 'so', 'if', 'how', 'what', 'when', 'where', 'which', 'who', 'please', 'hi',
  'hello', 'hey', 'thanks', 'thank', 'want', 'need', 'there', 'any', 'some', 'about',
  // zh
  '的', '了', '是', '吗', '呢', '吧', '啊', '呀', '嘛', '哦', '我', '你', '您', '他', '她', '它',
  '我们', '你们', '我的', '你的', '我想', '想', '要', '我要', '请', '请问', '问', '一下', '怎么', '怎么办', '怎样',
  '如何', '什么', '办', '能', '能否', '可以', '在', '和', '与', '或', '有', '这个', '那个',
  '你好', '您好', '谢谢',
]);

/** Cuts text into raw terms (compatibility forms folded first: full-width Ａ → A, ㎏ → kg). */
export function tokenize(input: string): string[] {
  const text = input.normalize('NFKC');
  const terms: string[] = [];
  let from = 0;
  for (const run of text.matchAll(CJK_RUN)) {
    terms.push(...defaultTokenize(text.slice(from, run.index)));
    for (const segment of segmenter.segment(run[0])) if (segment.isWordLike) terms.push(segment.segment);
    from = run.index + run[0].length;
  }
  terms.push(...defaultTokenize(text.slice(from)));
  return terms.filter((term) => term.length > 0);
}

/** Folds one term to lower case; `null` drops it (empty or a stop word). */
export function processTerm(term: string): string | null {
  const folded = term.toLowerCase();
  return folded.length === 0 || STOP_WORDS.has(folded) ? null : folded;
}

/** The terms a text is indexed and searched by. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const raw of tokenize(text)) {
    const term = processTerm(raw);
    if (term !== null) terms.push(term);
  }
  return terms;
}

export function hasCjk(text: string): boolean {
  return HAS_CJK.test(text);
}
