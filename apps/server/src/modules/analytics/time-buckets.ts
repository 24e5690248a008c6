import type { ReportBucket, ReportInterval } from '@frontdesk/protocol';

/**
 * Time-zone arithmetic for reports, on Intl alone (no date library): a zone's offset at an
 * instant, a wall time's instant, and the buckets of a range. DST-safe by construction: a bucket
 * is bounded by the instants at which the wall clock of `tz` reaches a local midnight (day, week)
 * or a local full hour (hour), so a local day is 23 or 25 hours long across a change, and the
 * repeated hour of an autumn change is two hour buckets with one wall label and two offsets.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** Whether `tz` names an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatterOf(tz);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock of `tz` at `atMs`. */
export function wallTimeOf(tz: string, atMs: number): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(tz).formatToParts(new Date(atMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far `tz` is ahead of UTC at `atMs`, in ms (whole seconds). */
export function offsetMsAt(tz: string, atMs: number): number {
  const w = wallTimeOf(tz, atMs);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(atMs / 1000) * 1000;
}

/**
 * The instant the wall clock of `tz` shows this time (fields may overflow: day 32 is the next
 * month). A time shown twice (autumn) is its first instant; a time never shown (the spring gap)
 * is the instant just as far after the gap's start, as the clock would have shown it.
 */
export function instantOfWallTime(tz: string, wall: Partial<WallTime> & { year: number; month: number; day: number }): number {
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
  const candidates = [offsetMsAt(tz, wallAsUtc - DAY_MS), offsetMsAt(tz, wallAsUtc + DAY_MS)].map((offset) => wallAsUtc - offset);
  const valid = candidates.filter((t) => t + offsetMsAt(tz, t) === wallAsUtc).sort((a, b) => a - b);
  return valid[0] ?? candidates[0]!;
}

/** `2026-10-25T02:00+02:00`: the wall time with its offset, so the two 02:00 of an autumn night differ. */
export function labelOf(tz: string, atMs: number, interval: ReportInterval): string {
  const w = wallTimeOf(tz, atMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  if (interval !== 'hour') return date;
  const offsetMin = Math.round(offsetMsAt(tz, atMs) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  return `${date}T${pad(w.hour)}:${pad(w.minute)}${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
}

/** The start of the local day (hour, ISO week from Monday) of `tz` that contains `atMs`. */
export function startOfBucket(tz: string, atMs: number, interval: ReportInterval): number {
  const w = wallTimeOf(tz, atMs);
  if (interval === 'hour') return Math.floor(atMs / 1000) * 1000 - (w.minute * 60 + w.second) * 1000;
  const dayStart = instantOfWallTime(tz, { year: w.year, month: w.month, day: w.day });
  if (interval === 'day') return dayStart;
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  return instantOfWallTime(tz, { year: w.year, month: w.month, day: w.day - weekday });
}

/** The start of the bucket after the one that starts at `startMs` (a bucket start of `tz`). */
export function nextBoundary(tz: string, startMs: number, interval: ReportInterval): number {
  if (interval === 'hour') {
    // NOTE: one hour later is the next full local hour unless the offset moved by a part of an
    // hour (Lord Howe's 30-minute change): then snap to the full hour.
    const next = startMs + HOUR_MS;
    const w = wallTimeOf(tz, next);
    const snapped = next - (w.minute * 60 + w.second) * 1000;
    return snapped > startMs ? snapped : snapped + HOUR_MS;
  }
  const start = wallTimeOf(tz, startMs);
  const days = interval === 'day' ? 1 : 7;
  return instantOfWallTime(tz, { year: start.year, month: start.month, day: start.day + days });
}

/**
 * The buckets of [fromMs, toMs) in `tz`: calendar-aligned, the first and last clipped to the range
 * (so a bucket's figures and the range's totals cover the same instants). Null when there would
 * be more than `maxBuckets`.
 */
export function bucketsOf(tz: string, fromMs: number, toMs: number, interval: ReportInterval, maxBuckets: number): ReportBucket[] | null {
  const out: ReportBucket[] = [];
  let start = startOfBucket(tz, fromMs, interval);
  while (start < toMs) {
    if (out.length >= maxBuckets) return null;
    const end = nextBoundary(tz, start, interval);
    out.push({ start: Math.max(start, fromMs), end: Math.min(end, toMs), label: labelOf(tz, start, interval) });
    start = end;
  }
  return out;
}

/** The index of the bucket holding `atMs` (buckets sorted, contiguous), or -1 outside them. */
export function bucketIndexOf(buckets: readonly ReportBucket[], atMs: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (atMs < b.start) hi = mid - 1;
    else if (atMs >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A report bound: ms since the epoch, or ISO 8601 (`2026-10-25`, `2026-10-25T02:30`,
 * `2026-10-25T00:30:00Z`, `…+02:00`); without an offset it is a wall time of `tz`. Null if neither.
 */
export function parseInstant(value: string, tz: string): number | null {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const m = ISO.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0) };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  if (!zone) return instantOfWallTime(tz, wall);
  const parsed = Date.parse(value.replace(' ', 'T'));
  return Number.isFinite(parsed) ? parsed : null;
}
