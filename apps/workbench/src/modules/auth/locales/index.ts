import { stringsOf } from '../../../app/locale.ts';
import { en, type AuthStrings } from './en.ts';
import { zh } from './zh.ts';

export type { AuthStrings };
export const AUTH_STRINGS = { en, zh };

/** The sign-in strings in the page's language. */
export const authStrings = (): AuthStrings => stringsOf(AUTH_STRINGS);
