import { stringsOf } from '../../../app/locale.ts';
import { en, type AdminStrings } from './en.ts';
import { zh } from './zh.ts';

export type { AdminStrings };
export const ADMIN_STRINGS = { en, zh };

/** The admin console's strings in the page's language. */
export const adminStrings = (): AdminStrings => stringsOf(ADMIN_STRINGS);
