import { stringsOf } from '../../../app/locale.ts';
import { en, type StatusStrings } from './en.ts';
import { zh } from './zh.ts';

export type { StatusStrings };
export const STATUS_STRINGS = { en, zh };

/** The agent status strings in the page's language. */
export const statusStrings = (): StatusStrings => stringsOf(STATUS_STRINGS);
