/**
 * The bot's pure core (SPEC M10): settings schema, FAQ index and matching (zh and en), hand-off
 * keyword detection, and `decideBotReply` — text in, one reply decision out, no I/O. The
 * shell builds the index when a channel's settings change and sends what the decision says.
 */
export { BotSettings, DEFAULT_HAND_OFF_KEYWORDS, Faq } from './bot-settings.ts';
export { FAQ_MIN_SCORE, decideBotReply, type BotReply } from './bot-reply.ts';
export { createFaqIndex, searchFaqs, type FaqIndex, type FaqMatch } from './faq-index.ts';
export { findHandOffKeyword } from './hand-off.ts';
