/** 0.8333 → "83 %"; null (nothing to measure) → "—". */
export function percentText(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}

/** A duration in ms as seconds or minutes for a reader: 42_000 → "42 s", 125_000 → "2 min 5 s". */
export function secondsText(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

/** The browser's own zone, for the zone field's default. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The wall date (yyyy-mm-dd) of `atMs` in `tz`, for date inputs. */
export function localDateOf(atMs: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(atMs);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** yyyy-mm-dd plus `days` (calendar days, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}
