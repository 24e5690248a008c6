/**
 * The workbench's language: Chinese or English, chosen by the browser (the first of its languages
 * the workbench speaks; English otherwise). Each feature keeps its strings in
 * `modules/<feature>/locales/{en,zh}.ts` and reads them with `stringsOf`.
 */
export const WORKBENCH_LOCALES = ['en', 'zh'] as const;
export type WorkbenchLocale = (typeof WORKBENCH_LOCALES)[number];

export function pickWorkbenchLocale(languages: readonly string[]): WorkbenchLocale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if ((WORKBENCH_LOCALES as readonly string[]).includes(base ?? '')) return base as WorkbenchLocale;
  }
  return 'en';
}

/** Where the agent's own choice (settings menu) is kept; it wins over the browser's languages. */
export const LOCALE_STORAGE_KEY = 'frontdesk.workbench.locale';

/** The agent's stored choice, when it is one the workbench speaks. */
export function storedWorkbenchLocale(stored: string | null | undefined): WorkbenchLocale | null {
  return stored && (WORKBENCH_LOCALES as readonly string[]).includes(stored) ? (stored as WorkbenchLocale) : null;
}

let current: WorkbenchLocale | undefined;

function readStored(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // NOTE: storage may be blocked (privacy settings); the browser's languages decide then.
  }
}

/** The locale of this page (read once: the agent's stored choice, else the browser's languages). */
export function workbenchLocale(): WorkbenchLocale {
  current ??= storedWorkbenchLocale(readStored())
    ?? (typeof navigator === 'undefined' ? 'en' : pickWorkbenchLocale(navigator.languages?.length ? navigator.languages : [navigator.language]));
  return current;
}

/**
 * Keeps the agent's choice and reloads the page. NOTE: strings are read once per render from module
 * tables; a reload is the one way every screen (and every lazily loaded chunk) shows the new language,
 * and the SDK resumes the session on its own.
 */
export function chooseWorkbenchLocale(locale: WorkbenchLocale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    return;
  }
  location.reload();
}

/** The BCP 47 tag of the page's locale, for `lang` and for Intl formats. */
export function workbenchLocaleTag(): string {
  return workbenchLocale() === 'zh' ? 'zh-CN' : 'en';
}

/** A feature's strings in the page's locale. */
export function stringsOf<T>(table: Record<WorkbenchLocale, T>): T {
  return table[workbenchLocale()];
}

/** Fills `{name}` placeholders; values are plain text (React renders them as text). */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
