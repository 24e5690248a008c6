import { format } from '../../../app/locale.ts';
import type { ReportStrings } from '../locales/index.ts';

/**
 * How the reports write numbers, durations and dates in one language: the numbers and dates by
 * Intl for the language's tag, the units from the catalogue ("83 %" / "83%", "2 min 5 s" / "2 分 5 秒").
 */
export interface ReportFormat {
  /** 0.8333 → "83 %"; null (nothing to measure) → "—". */
  percent: (share: number | null) => string;
  /** A duration in ms as seconds or minutes: 42_000 → "42 s", 125_000 → "2 min 5 s"; null → "—". */
  seconds: (ms: number | null) => string;
  /** A count: 1234 → "1,234". */
  count: (value: number) => string;
  /** An average star rating, two decimals: 4.5 → "4.50". */
  average: (value: number | null) => string;
  /** A date and time. */
  dateTime: (ms: number) => string;
  /** A time of day. */
  clock: (ms: number) => string;
}

/** The formats of `strings` for the BCP 47 tag `tag` (`zh-CN`, `en`). */
export function reportFormat(strings: ReportStrings, tag: string): ReportFormat {
  // NOTE: one formatter each, made once (a formatter per call costs milliseconds per table row).
  const whole = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const twoDecimals = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return {
    percent: (share) => (share === null ? '—' : format(strings.percent, { n: whole.format(Math.round(share * 100)) })),
    seconds: (ms) => {
      if (ms === null) return '—';
      const s = Math.round(ms / 1000);
      if (s < 60) return format(strings.seconds, { s: whole.format(s) });
      const m = whole.format(Math.floor(s / 60));
      return s % 60 === 0 ? format(strings.minutes, { m }) : format(strings.minutesSeconds, { m, s: whole.format(s % 60) });
    },
    count: (value) => whole.format(value),
    average: (value) => (value === null ? '—' : twoDecimals.format(value)),
    dateTime: (ms) => dateTime.format(ms),
    clock: (ms) => clock.format(ms),
  };
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
