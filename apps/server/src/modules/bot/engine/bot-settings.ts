/**
 * The bot's settings schemas are REST bodies too, so they live in the protocol package;
 * re-exported here for the engine and its tests.
 */
export { BotSettings, DEFAULT_HAND_OFF_KEYWORDS, Faq } from '@frontdesk/protocol';
