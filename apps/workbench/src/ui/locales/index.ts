import { stringsOf } from '../../app/locale.ts';
import { en, type UiStrings } from './en.ts';
import { zh } from './zh.ts';

export type { UiStrings };
export const UI_STRINGS = { en, zh };

/** The shared controls' strings in the page's language. */
export const uiStrings = (): UiStrings => stringsOf(UI_STRINGS);
