import { stringsOf } from '../../../app/locale.ts';
import { en, type ShellStrings } from './en.ts';
import { zh } from './zh.ts';

export type { ShellStrings };
export const SHELL_STRINGS = { en, zh };

/** The top bar and settings strings in the page's language. */
export const shellStrings = (): ShellStrings => stringsOf(SHELL_STRINGS);
