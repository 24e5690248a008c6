import { stringsOf } from '../../../app/locale.ts';
import { en, type HistoryStrings } from './en.ts';
import { zh } from './zh.ts';

export type { HistoryStrings };
export const HISTORY_STRINGS = { en, zh };

/** The history strings in the page's language. */
export const historyStrings = (): HistoryStrings => stringsOf(HISTORY_STRINGS);
