import MiniSearch from 'minisearch';
import type { Faq } from './bot-settings.ts';
import { analyze, hasCjk, processTerm, tokenize } from './tokenize.ts';

/**
 * Weight of a phrase word the visitor only approximately wrote: a typo within the fuzzy
 * distance ("retrun" → return) or a prefix ("ship" → shipping).
 */
export const APPROXIMATE_MATCH_WEIGHT = 0.75;

/**
 * NOTE: the longest visitor text searched. Matching cost grows with the number of query
 * words (each is looked up fuzzily), and an FAQ question is short; the rest is ignored.
 */
export const MAX_QUERY_CHARS = 1000;

/** Ranking weights: an admin's keywords and the question say more than words in the answer. */
const FIELD_BOOSTS = { keywords: 3, question: 2, answer: 1 };

interface FaqDocument {
  id: string;
  question: string;
  keywords: string;
  answer: string;
}

interface IndexedFaq {
  answer: string;
  /** The question's terms, then each keyword's: what a visitor's message is measured against. */
  phrases: ReadonlySet<string>[];
}

/** Built once per settings change and kept by the shell; opaque outside this folder — use `searchFaqs`. */
export interface FaqIndex {
  readonly size: number;
  readonly miniSearch: MiniSearch<FaqDocument>;
  readonly faqs: ReadonlyMap<string, IndexedFaq>;
}

export interface FaqMatch {
  faqId: string;
  answer: string;
  /** Confidence in [0, 1]; see `searchFaqs`. */
  score: number;
}

/** Fuzzy distance by word length: none for short words (too many neighbours), 1 from 4, 2 from 6. */
function fuzzyDistance(term: string): number | false {
  if (hasCjk(term)) return false;
  const length = [...term].length;
  return length >= 6 ? 2 : length >= 4 ? 1 : false;
}

function isPrefixSearched(term: string): boolean {
  return !hasCjk(term) && [...term].length >= 3;
}

/** Indexes the FAQs of one channel. Throws on a duplicate id (the settings schema refuses them). */
export function createFaqIndex(faqs: readonly Faq[]): FaqIndex {
  const miniSearch = new MiniSearch<FaqDocument>({
    fields: ['question', 'keywords', 'answer'],
    tokenize,
    processTerm,
    searchOptions: { boost: FIELD_BOOSTS, fuzzy: fuzzyDistance, prefix: isPrefixSearched, combineWith: 'OR' },
  });
  const indexed = new Map<string, IndexedFaq>();
  for (const faq of faqs) {
    if (indexed.has(faq.id)) throw new Error(`duplicate FAQ id "${faq.id}"`);
    const phrases = [faq.question, ...faq.keywords].map((text) => new Set(analyze(text))).filter((p) => p.size > 0);
    indexed.set(faq.id, { answer: faq.answer, phrases });
    miniSearch.add({ id: faq.id, question: faq.question, keywords: faq.keywords.join('\n'), answer: faq.answer });
  }
  return { size: indexed.size, miniSearch, faqs: indexed };
}

/**
 * The FAQs the visitor's text matches, best first, with a confidence score in [0, 1].
 *
 * MiniSearch finds and ranks candidates (BM25 with field boosts, fuzzy and prefix matching
 * for space-separated words). Its raw score is not comparable across languages or channels:
 * it grows with the number of query words (Chinese is cut finer than English), with rare
 * words and with the corpus. So the confidence is a ratio instead: for each phrase of an FAQ
 * (its question, and each keyword) the share of that phrase's content words the message
 * contains — exactly (1) or approximately (APPROXIMATE_MATCH_WEIGHT) — and the best phrase
 * wins. A message that contains a whole keyword, or the gist of the question, scores near 1
 * in any language; a stray shared word scores low. Words found only in the answer help the
 * ranking but give no confidence: answering because of an answer's wording is how FAQ bots
 * misfire. Ties keep MiniSearch's order.
 */
export function searchFaqs(index: FaqIndex, visitorText: string, limit = 5): FaqMatch[] {
  if (index.size === 0) return [];
  const query = visitorText.slice(0, MAX_QUERY_CHARS);
  const queryTerms = new Set(analyze(query));
  if (queryTerms.size === 0) return [];
  const ranked: FaqMatch[] = [];
  for (const result of index.miniSearch.search(query)) {
    const faq = index.faqs.get(result.id as string);
    if (!faq) continue;
    const matched = new Set(result.terms);
    let score = 0;
    for (const phrase of faq.phrases) {
      let covered = 0;
      for (const term of phrase) {
        if (queryTerms.has(term)) covered += 1;
        else if (matched.has(term)) covered += APPROXIMATE_MATCH_WEIGHT;
      }
      score = Math.max(score, covered / phrase.size);
    }
    if (score > 0) ranked.push({ faqId: result.id as string, answer: faq.answer, score });
  }
  // Array.prototype.sort is stable: equal scores keep MiniSearch's ranking.
  return ranked.sort((a, b) => b.score - a.score).slice(0, limit);
}
