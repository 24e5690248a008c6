import type { Locale } from '../launcher.ts';
import { ar } from './ar.ts';
import { en, type CallStrings } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { pt } from './pt.ts';
import { zh } from './zh.ts';

export type { CallStrings };
/** The call screen's strings, per locale (bundled with the call screen, loaded with the first call). */
export const CALL_STRINGS: Record<Locale, CallStrings> = { zh, en, ar, es, pt, fr };
