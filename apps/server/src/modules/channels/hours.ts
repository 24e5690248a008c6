import type { Period, WorkingHours } from '@frontdesk/protocol';
import { DAY_MS, instantsAtWallTime, offsetChangesBetween, utcMs, wallClockAt } from './wall-clock.ts';

/**
 * Working hours of a channel (SPEC M11, Huawei web channel "座席工作时间"): up to 4 periods on
 * workdays and up to 4 on non-workdays, in the channel's IANA time zone, with date exceptions
 * (holidays, make-up workdays) and the message visitors get off hours.
 *
 * Decisions made here:
 * - Periods are wall-clock times, half-open [start, end): 09:00–18:00 is open at 17:59:59.999
 *   and closed at 18:00. `end` may be '24:00', the end of the local day; a period never
 *   crosses midnight — to stay open overnight, end at 24:00 and start the next day at 00:00
 *   (each day keeps its own workday/non-workday kind).
 * - On a daylight-saving day, wall times the clocks skip do not happen (a period starting at
 *   02:30 when clocks jump 02:00 → 03:00 opens at 03:00), and wall times that happen twice
 *   are within hours both times.
 * - "Always open" is `hours` absent (never configured) or `alwaysOpen: true` (configured
 *   periods kept but ignored, like the console's switch).
 */

// The schemas are REST bodies too, so they live in the protocol package (validation messages
// included); re-exported here for this module and its tests.
export { DateException, MAX_PERIODS_PER_DAY, Period, WorkingHours } from '@frontdesk/protocol';

/** `nextOpening` looks this far ahead. */
export const NEXT_OPENING_HORIZON_MS = 14 * DAY_MS;

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
function isoWeekday(year: number, month: number, day: number): number {
  return new Date(utcMs(year, month, day)).getUTCDay() || 7;
}

function isoDate(year: number, month: number, day: number): string {
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The periods that apply on a local date: an exception decides, else the weekday. */
function periodsOn(hours: WorkingHours, year: number, month: number, day: number): readonly Period[] {
  const date = isoDate(year, month, day);
  const exception = hours.exceptions.find((e) => e.date === date);
  const isWorkday = exception ? exception.kind === 'workday' : hours.workdays.includes(isoWeekday(year, month, day));
  return isWorkday ? hours.workdayPeriods : hours.nonWorkdayPeriods;
}

/** Whether visitors are within working hours at `nowMs`. Absent hours are always open. */
export function isWithinHours(hours: WorkingHours | undefined, nowMs: number): boolean {
  if (!hours || hours.alwaysOpen) return true;
  const local = wallClockAt(hours.timeZone, nowMs);
  return periodsOn(hours, local.year, local.month, local.day).some(
    (p) => minutesOf(p.start) * 60 <= local.secondOfDay && local.secondOfDay < minutesOf(p.end) * 60,
  );
}

/**
 * The earliest instant at or after `nowMs` that is within hours: `nowMs` itself when open
 * now, `undefined` when it does not open within NEXT_OPENING_HORIZON_MS.
 *
 * Hours can only open at a period's start (a wall time, mapped to its one or two instants)
 * or when the clocks change (jumping into a period). All such instants in the horizon are
 * candidates; the earliest one `isWithinHours` accepts wins, so the result is always open.
 */
export function nextOpening(hours: WorkingHours | undefined, nowMs: number): number | undefined {
  if (!hours || isWithinHours(hours, nowMs)) return nowMs;
  const untilMs = nowMs + NEXT_OPENING_HORIZON_MS;
  const candidates = offsetChangesBetween(hours.timeZone, nowMs, untilMs);
  const today = wallClockAt(hours.timeZone, nowMs);
  // One extra day: the wall clock may run a day ahead of the horizon's instant count.
  for (let i = 0; i <= NEXT_OPENING_HORIZON_MS / DAY_MS + 1; i++) {
    const date = new Date(utcMs(today.year, today.month, today.day + i));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    for (const period of periodsOn(hours, year, month, day)) {
      candidates.push(...instantsAtWallTime(hours.timeZone, utcMs(year, month, day, minutesOf(period.start) * 60)));
    }
  }
  let best: number | undefined;
  for (const at of candidates) {
    if (at > nowMs && at <= untilMs && (best === undefined || at < best) && isWithinHours(hours, at)) best = at;
  }
  return best;
}
