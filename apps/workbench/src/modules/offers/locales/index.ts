import { stringsOf } from '../../../app/locale.ts';
import { en, type OfferStrings } from './en.ts';
import { zh } from './zh.ts';

export type { OfferStrings };
export const OFFER_STRINGS = { en, zh };

/** The offer bar strings in the page's language. */
export const offerStrings = (): OfferStrings => stringsOf(OFFER_STRINGS);
