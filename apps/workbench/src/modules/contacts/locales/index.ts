import { stringsOf } from '../../../app/locale.ts';
import { en, type ContactStrings } from './en.ts';
import { zh } from './zh.ts';

export type { ContactStrings };
export const CONTACT_STRINGS = { en, zh };

/** The contact strings in the page's language. */
export const contactStrings = (): ContactStrings => stringsOf(CONTACT_STRINGS);
