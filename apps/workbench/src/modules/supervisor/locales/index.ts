import { stringsOf } from '../../../app/locale.ts';
import { en, type SupervisionStrings } from './en.ts';
import { zh } from './zh.ts';

export type { SupervisionStrings };
export const SUPERVISION_STRINGS = { en, zh };

/** The supervision strings in the page's language. */
export const supervisionStrings = (): SupervisionStrings => stringsOf(SUPERVISION_STRINGS);
