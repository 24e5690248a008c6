/**
 * What the loader needs before the panel loads: the supported locales, their direction and the
 * launcher's label. Kept apart from the panel strings so the loader stays a few KB.
 */
export const LOCALES = ['zh', 'en', 'ar', 'es', 'pt', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export const LAUNCHER_LABELS: Record<Locale, string> = {
  zh: '在线咨询',
  en: 'Chat with us',
  ar: 'تحدث معنا',
  es: 'Chatea con nosotros',
  pt: 'Fale conosco',
  fr: 'Discutons',
};

export const isRightToLeft = (locale: Locale): boolean => locale === 'ar';

/** The snippet's `data-locale` if supported, else the browser's first supported language, else English. */
export function pickLocale(requested: string | null | undefined, browser: readonly string[]): Locale {
  for (const tag of [requested, ...browser]) {
    const base = tag?.toLowerCase().split(/[-_]/)[0];
    if (base && (LOCALES as readonly string[]).includes(base)) return base as Locale;
  }
  return 'en';
}
