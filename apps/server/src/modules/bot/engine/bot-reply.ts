import type { BotSettings } from './bot-settings.ts';
import { searchFaqs, type FaqIndex } from './faq-index.ts';
import { findHandOffKeyword } from './hand-off.ts';

/**
 * The least confidence (see `searchFaqs`) for which the bot answers with an FAQ: more than
 * half of a question's or keyword's content words, a typo or prefix counting 3/4. So a single
 * keyword typed with a typo answers (0.75), one word of a two-word question does not (0.5).
 */
export const FAQ_MIN_SCORE = 0.6;

export type BotReply =
  /** The bot is off for this channel: send nothing, route the conversation to a queue. */
  | { kind: 'disabled' }
  /** The visitor asked for a human: send `text` (the hand-off text), then route. */
  | { kind: 'handoff'; text: string; keyword: string }
  | { kind: 'answer'; faqId: string; text: string; score: number }
  /** Not understood: send the default reply. */
  | { kind: 'default'; text: string };

/**
 * What the bot says to one visitor message. A hand-off keyword wins over any FAQ, since
 * the visitor said what they want; otherwise the best FAQ at or above FAQ_MIN_SCORE, else
 * the default reply. `index` is `createFaqIndex(settings.faqs)`, built when settings change.
 */
export function decideBotReply(settings: BotSettings, index: FaqIndex, visitorText: string): BotReply {
  if (!settings.enabled) return { kind: 'disabled' };
  const keyword = findHandOffKeyword(settings.handOffKeywords, visitorText);
  if (keyword !== undefined) return { kind: 'handoff', text: settings.handOffText, keyword };
  const best = searchFaqs(index, visitorText, 1)[0];
  if (best && best.score >= FAQ_MIN_SCORE) {
    return { kind: 'answer', faqId: best.faqId, text: best.answer, score: best.score };
  }
  return { kind: 'default', text: settings.defaultReply };
}
