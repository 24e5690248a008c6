import { stringsOf } from '../../../app/locale.ts';
import { en, type ConversationStrings } from './en.ts';
import { zh } from './zh.ts';

export type { ConversationStrings };
export const CONVERSATION_STRINGS = { en, zh };

/** The conversation strings in the page's language. */
export const conversationStrings = (): ConversationStrings => stringsOf(CONVERSATION_STRINGS);
