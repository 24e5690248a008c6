import { ar } from './ar.ts';
import { en, type Strings } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { pt } from './pt.ts';
import { zh } from './zh.ts';
import type { Locale } from './launcher.ts';

export type { Strings };
export const STRINGS: Record<Locale, Strings> = { zh, en, ar, es, pt, fr };

/** Fills `{name}` placeholders; values are plain text (rendered as text nodes). */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
