import { stringsOf } from '../../../app/locale.ts';
import { en, type ShortcutStrings } from './en.ts';
import { zh } from './zh.ts';

export type { ShortcutStrings };
export const SHORTCUT_STRINGS = { en, zh };

export const shortcutStrings = (): ShortcutStrings => stringsOf(SHORTCUT_STRINGS);
