import { stringsOf } from '../../../app/locale.ts';
import { en, type AvatarStrings } from './en.ts';
import { zh } from './zh.ts';

export type { AvatarStrings };
export const AVATAR_STRINGS = { en, zh };

export const avatarStrings = (): AvatarStrings => stringsOf(AVATAR_STRINGS);
