import { describe, expect, it } from 'vitest';
import { CALL_STRINGS } from './calls/index.ts';
import { format, STRINGS } from './index.ts';
import { LAUNCHER_LABELS, LOCALES, pickLocale } from './launcher.ts';

describe('locales', () => {
  it('the snippet attribute wins, then the first supported browser language, then English', () => {
    expect(pickLocale('ar', ['zh-CN', 'en'])).toBe('ar');
    expect(pickLocale('de', ['de-DE', 'pt-BR', 'en'])).toBe('pt');
    expect(pickLocale(null, ['zh-Hans-CN'])).toBe('zh');
    expect(pickLocale(undefined, ['ES_mx'])).toBe('es');
    expect(pickLocale('', ['ja', 'ko'])).toBe('en');
  });

  it('every locale fills every string with the same placeholders as English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const locale of LOCALES) {
      expect(LAUNCHER_LABELS[locale].length).toBeGreaterThan(0);
      for (const [key, english] of Object.entries(STRINGS.en)) {
        const text = STRINGS[locale][key as keyof typeof STRINGS.en];
        expect(text.trim().length, `${locale}.${key}`).toBeGreaterThan(0);
        expect(placeholders(text), `${locale}.${key}`).toEqual(placeholders(english));
      }
    }
  });

  it('the call screen has every string in every locale, with the same placeholders as English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const locale of LOCALES) {
      for (const [key, english] of Object.entries(CALL_STRINGS.en)) {
        const text = CALL_STRINGS[locale][key as keyof typeof CALL_STRINGS.en];
        expect(text.trim().length, `calls ${locale}.${key}`).toBeGreaterThan(0);
        expect(placeholders(text), `calls ${locale}.${key}`).toEqual(placeholders(english));
      }
    }
  });

  it('formats placeholders as plain text and leaves unknown ones', () => {
    expect(format('{name} is typing…', { name: '<b>Bob</b>' })).toBe('<b>Bob</b> is typing…');
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});
