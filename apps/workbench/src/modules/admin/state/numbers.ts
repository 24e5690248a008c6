/** Form inputs hold text; bodies hold numbers. Empty text is "not given" (the server's default applies). */
export function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

export function textOf(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** "a, b\nc" → ['a', 'b', 'c'] */
export function listOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Drops keys whose value is undefined (so a PATCH leaves those fields as they are). */
export function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
