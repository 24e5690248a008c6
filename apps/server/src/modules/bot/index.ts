/**
 * The bot (SPEC M10). For now its pure core, `engine/`: FAQ index and matching (zh and en),
 * hand-off keywords and `decideBotReply`. Other modules reach it only through this file.
 */
export {
  BotSettings,
  DEFAULT_HAND_OFF_KEYWORDS,
  FAQ_MIN_SCORE,
  Faq,
  createFaqIndex,
  decideBotReply,
  findHandOffKeyword,
  searchFaqs,
  type BotReply,
  type FaqIndex,
  type FaqMatch,
} from './engine/index.ts';
