/**
 * Instants ↔ wall-clock time in an IANA time zone, with `Intl.DateTimeFormat` only.
 * A "wall time" is a local date and time encoded as if it were UTC ms (`Date.UTC(y, m-1, d, h, min)`),
 * so calendar arithmetic on it is plain addition. Offsets are wall − instant, in ms.
 */

export const DAY_MS = 86_400_000;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  /** Seconds since local midnight, 0 … 86399. */
  secondOfDay: number;
  /** The local date and time encoded as UTC ms (whole seconds). */
  wallMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** `Date.UTC` without its two-digit-year quirk. */
export function utcMs(year: number, month: number, day: number, secondOfDay = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() + secondOfDay * 1000;
}

export function wallClockAt(timeZone: string, instantMs: number): WallClock {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) fields[part.type] = part.value;
  const era = fields['era'] === 'BC' ? -1 : 1;
  const year = era === 1 ? Number(fields['year']) : 1 - Number(fields['year']);
  const month = Number(fields['month']);
  const day = Number(fields['day']);
  // NOTE: some ICU versions print midnight as 24 even with h23.
  const secondOfDay = (Number(fields['hour']) % 24) * 3600 + Number(fields['minute']) * 60 + Number(fields['second']);
  return { year, month, day, secondOfDay, wallMs: utcMs(year, month, day, secondOfDay) };
}

export function offsetMsAt(timeZone: string, instantMs: number): number {
  return wallClockAt(timeZone, instantMs).wallMs - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instants whose wall time is `wallMs`: one usually, two when clocks fall back (the
 * earlier first), none in the hour skipped when they spring forward.
 */
export function instantsAtWallTime(timeZone: string, wallMs: number): number[] {
  const offsets = new Set([
    offsetMsAt(timeZone, wallMs - DAY_MS),
    offsetMsAt(timeZone, wallMs),
    offsetMsAt(timeZone, wallMs + DAY_MS),
  ]);
  const instants = new Set<number>();
  for (const offset of offsets) {
    const instant = wallMs - offset;
    if (offsetMsAt(timeZone, instant) === offset) instants.add(instant);
  }
  return [...instants].sort((a, b) => a - b);
}

/**
 * The instants in (fromMs, toMs] at which the zone's offset changes, found by sampling once
 * a day and bisecting to the second (zones change offset at most once a day).
 */
export function offsetChangesBetween(timeZone: string, fromMs: number, toMs: number): number[] {
  const changes: number[] = [];
  let before = Math.floor(fromMs / 1000) * 1000;
  let beforeOffset = offsetMsAt(timeZone, before);
  while (before < toMs) {
    const after = Math.min(before + DAY_MS, Math.ceil(toMs / 1000) * 1000);
    const afterOffset = offsetMsAt(timeZone, after);
    if (afterOffset !== beforeOffset) {
      let low = before; // offset here is beforeOffset
      let high = after; // offset here is afterOffset
      while (high - low > 1000) {
        const mid = low + Math.floor((high - low) / 2000) * 1000;
        if (offsetMsAt(timeZone, mid) === beforeOffset) low = mid;
        else high = mid;
      }
      if (high > fromMs && high <= toMs) changes.push(high);
    }
    before = after;
    beforeOffset = afterOffset;
  }
  return changes;
}
