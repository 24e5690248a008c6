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

let current: WorkbenchLocale | undefined;

/** The locale of this page (read once from the browser). */
export function workbenchLocale(): WorkbenchLocale {
  current ??= typeof navigator === 'undefined' ? 'en' : pickWorkbenchLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
  return current;
}

/** A feature's strings in the page's locale. */
export function stringsOf<T>(table: Record<WorkbenchLocale, T>): T {
  return table[workbenchLocale()];
}

/** Fills `{name}` placeholders; values are plain text (React renders them as text). */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
