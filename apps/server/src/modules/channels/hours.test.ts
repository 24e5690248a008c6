import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEXT_OPENING_HORIZON_MS, WorkingHours, isWithinHours, nextOpening } from './hours.ts';
import { offsetChangesBetween } from './wall-clock.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const hours = (input: Partial<WorkingHours> & Pick<WorkingHours, 'timeZone'>) =>
  WorkingHours.parse({ workdayPeriods: [{ start: '09:00', end: '18:00' }], offHoursMessage: 'We are closed.', ...input });

describe('isWithinHours in Asia/Shanghai (UTC+8)', () => {
  const shanghai = hours({ timeZone: 'Asia/Shanghai', workdayPeriods: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }] });

  it('is open from the start of a period up to, not including, its end', () => {
    expect(isWithinHours(shanghai, at('2025-03-03T00:59:59.999Z'))).toBe(false); // Mon 08:59:59.999
    expect(isWithinHours(shanghai, at('2025-03-03T01:00:00Z'))).toBe(true); // Mon 09:00
    expect(isWithinHours(shanghai, at('2025-03-03T03:59:59.999Z'))).toBe(true); // 11:59:59.999
    expect(isWithinHours(shanghai, at('2025-03-03T04:30:00Z'))).toBe(false); // lunch
    expect(isWithinHours(shanghai, at('2025-03-03T09:59:00Z'))).toBe(true); // 17:59
    expect(isWithinHours(shanghai, at('2025-03-03T10:00:00Z'))).toBe(false); // 18:00
  });

  it('uses the local date, not the UTC one', () => {
    // Sunday 20:00 UTC is Monday 04:00 in Shanghai; Friday 23:30 UTC is Saturday 07:30.
    expect(isWithinHours(hours({ timeZone: 'Asia/Shanghai', workdayPeriods: [{ start: '00:00', end: '24:00' }] }), at('2025-03-02T20:00:00Z'))).toBe(true);
    expect(isWithinHours(hours({ timeZone: 'Asia/Shanghai', workdayPeriods: [{ start: '00:00', end: '24:00' }] }), at('2025-03-07T23:30:00Z'))).toBe(false);
  });

  it('is closed all weekend by default and opens again on Monday morning', () => {
    expect(isWithinHours(shanghai, at('2025-03-08T03:00:00Z'))).toBe(false); // Sat 11:00
    expect(iso(nextOpening(shanghai, at('2025-03-07T10:30:00Z')))).toBe('2025-03-10T01:00:00.000Z'); // Fri 18:30 → Mon 09:00
    expect(iso(nextOpening(shanghai, at('2025-03-03T04:15:00Z')))).toBe('2025-03-03T05:00:00.000Z'); // lunch → 13:00
  });

  it('gives now as the next opening while open', () => {
    expect(nextOpening(shanghai, at('2025-03-03T02:00:00Z'))).toBe(at('2025-03-03T02:00:00Z'));
  });
});

describe('a non-workday with its own periods', () => {
  const shop = hours({ timeZone: 'Asia/Shanghai', nonWorkdayPeriods: [{ start: '10:00', end: '14:00' }] });

  it('opens on weekends for the non-workday periods only', () => {
    expect(isWithinHours(shop, at('2025-03-08T02:00:00Z'))).toBe(true); // Sat 10:00
    expect(isWithinHours(shop, at('2025-03-08T01:30:00Z'))).toBe(false); // Sat 09:30: a workday period, not today's
    expect(isWithinHours(shop, at('2025-03-08T07:00:00Z'))).toBe(false); // Sat 15:00
    expect(iso(nextOpening(shop, at('2025-03-07T10:30:00Z')))).toBe('2025-03-08T02:00:00.000Z'); // Fri 18:30 → Sat 10:00
  });

  it('follows the configured workdays', () => {
    const sixDays = hours({ timeZone: 'Asia/Shanghai', workdays: [2, 3, 4, 5, 6, 7] }); // closed Mondays
    expect(isWithinHours(sixDays, at('2025-03-03T02:00:00Z'))).toBe(false); // Mon 10:00
    expect(isWithinHours(sixDays, at('2025-03-09T02:00:00Z'))).toBe(true); // Sun 10:00
  });
});

describe('date exceptions', () => {
  // China's 2025 National Day: Wed 1 Oct is a holiday, Sun 28 Sep a make-up workday (调休).
  const china = hours({
    timeZone: 'Asia/Shanghai',
    nonWorkdayPeriods: [{ start: '10:00', end: '16:00' }],
    exceptions: [
      { date: '2025-10-01', kind: 'non-workday' },
      { date: '2025-09-28', kind: 'workday' },
    ],
  });

  it('uses the non-workday periods on a holiday that falls on a weekday', () => {
    expect(isWithinHours(china, at('2025-10-01T01:30:00Z'))).toBe(false); // Wed 09:30
    expect(isWithinHours(china, at('2025-10-01T02:30:00Z'))).toBe(true); // Wed 10:30
    expect(isWithinHours(china, at('2025-10-01T08:30:00Z'))).toBe(false); // Wed 16:30
  });

  it('uses the workday periods on a make-up workday that falls on a weekend', () => {
    expect(isWithinHours(china, at('2025-09-28T01:30:00Z'))).toBe(true); // Sun 09:30
    expect(isWithinHours(china, at('2025-09-28T10:30:00Z'))).toBe(false); // Sun 18:30
    expect(iso(nextOpening(china, at('2025-09-27T09:00:00Z')))).toBe('2025-09-28T01:00:00.000Z'); // Sat 17:00 → Sun 09:00
  });

  it('leaves the dates around an exception to their weekday', () => {
    expect(isWithinHours(china, at('2025-10-02T01:30:00Z'))).toBe(true); // Thu 09:30
    expect(isWithinHours(china, at('2025-09-27T01:30:00Z'))).toBe(false); // Sat 09:30
  });
});

describe('America/New_York across daylight saving time', () => {
  const office = hours({ timeZone: 'America/New_York' });

  it('opens at 09:00 local on both sides of the change', () => {
    expect(isWithinHours(office, at('2025-03-03T14:00:00Z'))).toBe(true); // Mon 09:00 EST
    expect(isWithinHours(office, at('2025-03-10T13:00:00Z'))).toBe(true); // Mon 09:00 EDT
    expect(isWithinHours(office, at('2025-03-10T12:59:59Z'))).toBe(false);
    expect(isWithinHours(office, at('2025-03-10T22:00:00Z'))).toBe(false); // 18:00 EDT
    expect(iso(nextOpening(office, at('2025-03-07T23:00:00Z')))).toBe('2025-03-10T13:00:00.000Z'); // Fri 18:00 EST → Mon 09:00 EDT
  });

  it('on the spring-forward day, a period starting in the skipped hour opens when the clocks jump', () => {
    const sunday = hours({ timeZone: 'America/New_York', workdays: [], workdayPeriods: [], nonWorkdayPeriods: [{ start: '02:30', end: '04:00' }] });
    expect(iso(nextOpening(sunday, at('2025-03-09T06:00:00Z')))).toBe('2025-03-09T07:00:00.000Z'); // 01:00 EST → 03:00 EDT
    expect(isWithinHours(sunday, at('2025-03-09T06:59:59Z'))).toBe(false); // 01:59:59 EST
    expect(isWithinHours(sunday, at('2025-03-09T07:59:59Z'))).toBe(true); // 03:59:59 EDT
    expect(isWithinHours(sunday, at('2025-03-09T08:00:00Z'))).toBe(false); // 04:00 EDT
  });

  it('on the spring-forward day, a period wholly inside the skipped hour does not happen', () => {
    const lost = hours({ timeZone: 'America/New_York', workdays: [], workdayPeriods: [], nonWorkdayPeriods: [{ start: '02:00', end: '02:45' }] });
    expect(iso(nextOpening(lost, at('2025-03-09T05:00:00Z')))).toBe('2025-03-10T06:00:00.000Z'); // Mon 02:00 EDT
  });

  it('on the fall-back day, the repeated hour is within hours both times', () => {
    const night = hours({ timeZone: 'America/New_York', workdays: [], workdayPeriods: [], nonWorkdayPeriods: [{ start: '00:30', end: '01:30' }] });
    expect(isWithinHours(night, at('2025-11-02T05:15:00Z'))).toBe(true); // 01:15 EDT
    expect(isWithinHours(night, at('2025-11-02T05:45:00Z'))).toBe(false); // 01:45 EDT
    // At 02:00 EDT the clocks go back to 01:00 EST, inside the period again.
    expect(iso(nextOpening(night, at('2025-11-02T05:45:00Z')))).toBe('2025-11-02T06:00:00.000Z');
    expect(isWithinHours(night, at('2025-11-02T06:29:59Z'))).toBe(true); // 01:29:59 EST
    expect(isWithinHours(night, at('2025-11-02T06:30:00Z'))).toBe(false); // 01:30 EST
  });

  it('on the fall-back day, a period starting in the repeated hour opens at its first occurrence', () => {
    const late = hours({ timeZone: 'America/New_York', workdays: [], workdayPeriods: [], nonWorkdayPeriods: [{ start: '01:15', end: '03:00' }] });
    expect(iso(nextOpening(late, at('2025-11-02T04:00:00Z')))).toBe('2025-11-02T05:15:00.000Z'); // 01:15 EDT
  });
});

describe('midnight', () => {
  const nightShift = hours({ timeZone: 'Asia/Shanghai', workdayPeriods: [{ start: '00:00', end: '02:00' }, { start: '22:00', end: '24:00' }] });

  it('treats 24:00 as the end of the local day', () => {
    expect(isWithinHours(nightShift, at('2025-03-07T15:59:59.999Z'))).toBe(true); // Fri 23:59:59.999
    expect(isWithinHours(nightShift, at('2025-03-07T16:00:00Z'))).toBe(false); // Sat 00:00, a non-workday
  });

  it('stays open across midnight when the next day starts at 00:00', () => {
    expect(isWithinHours(nightShift, at('2025-03-03T15:59:59Z'))).toBe(true); // Mon 23:59:59
    expect(isWithinHours(nightShift, at('2025-03-03T16:00:00Z'))).toBe(true); // Tue 00:00
    expect(isWithinHours(nightShift, at('2025-03-03T17:59:59Z'))).toBe(true); // Tue 01:59:59
    expect(isWithinHours(nightShift, at('2025-03-03T18:00:00Z'))).toBe(false); // Tue 02:00
  });

  it('opens at 00:00 on Monday after a closed weekend', () => {
    expect(iso(nextOpening(nightShift, at('2025-03-08T04:00:00Z')))).toBe('2025-03-09T16:00:00.000Z'); // Sat → Mon 00:00
  });

  it('refuses a period that ends at or before it starts, such as 22:00–02:00 or 09:00–00:00', () => {
    for (const period of [{ start: '22:00', end: '02:00' }, { start: '09:00', end: '00:00' }, { start: '09:00', end: '09:00' }]) {
      const result = WorkingHours.safeParse({ timeZone: 'UTC', workdayPeriods: [period], offHoursMessage: 'closed' });
      expect(result.error?.issues[0]?.message).toMatch(/must end after it starts.*end at 24:00/);
    }
  });
});

describe('always open and never open', () => {
  it('is always open when hours are absent or marked always open', () => {
    const now = at('2025-03-08T20:00:00Z');
    expect(isWithinHours(undefined, now)).toBe(true);
    expect(nextOpening(undefined, now)).toBe(now);
    const flagged = hours({ timeZone: 'Asia/Shanghai', alwaysOpen: true, workdays: [] });
    expect(isWithinHours(flagged, now)).toBe(true);
    expect(nextOpening(flagged, now)).toBe(now);
  });

  it('has no next opening when no period applies within 14 days', () => {
    const closed = hours({ timeZone: 'Asia/Shanghai', workdayPeriods: [] });
    expect(nextOpening(closed, at('2025-03-03T02:00:00Z'))).toBeUndefined();
    const reopening = (date: string) => hours({ timeZone: 'UTC', workdays: [], exceptions: [{ date, kind: 'workday' }] });
    expect(iso(nextOpening(reopening('2025-03-14'), at('2025-03-01T00:00:00Z')))).toBe('2025-03-14T09:00:00.000Z');
    expect(nextOpening(reopening('2025-03-16'), at('2025-03-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('WorkingHours validation', () => {
  const base = { timeZone: 'Asia/Shanghai', workdayPeriods: [{ start: '09:00', end: '18:00' }], offHoursMessage: 'closed' };
  const issues = (input: object) => WorkingHours.safeParse({ ...base, ...input }).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it('fills in defaults: Monday to Friday, closed on non-workdays, no exceptions', () => {
    expect(WorkingHours.parse(base)).toEqual({ ...base, alwaysOpen: false, workdays: [1, 2, 3, 4, 5], nonWorkdayPeriods: [], exceptions: [] });
  });

  it('refuses an unknown time zone', () => {
    expect(issues({ timeZone: 'Mars/Base' })).toEqual([['timeZone', 'unknown IANA time zone "Mars/Base"']]);
    expect(issues({ timeZone: '+08:00' })).toEqual([['timeZone', 'unknown IANA time zone "+08:00"']]);
  });

  it('refuses more than 4 periods a day', () => {
    const five = ['00:00', '02:00', '04:00', '06:00', '08:00'].map((start) => ({ start, end: start.replace(':00', ':30') }));
    expect(issues({ nonWorkdayPeriods: five })).toEqual([['nonWorkdayPeriods', 'at most 4 periods a day']]);
    expect(issues({ nonWorkdayPeriods: five.slice(0, 4) })).toBeUndefined();
  });

  it('refuses overlapping periods and accepts touching ones', () => {
    expect(issues({ workdayPeriods: [{ start: '13:00', end: '18:00' }, { start: '09:00', end: '13:30' }] })).toEqual([
      ['workdayPeriods.0', 'periods 09:00–13:30 and 13:00–18:00 overlap'],
    ]);
    expect(issues({ workdayPeriods: [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '18:00' }] })).toBeUndefined();
  });

  it('refuses malformed times', () => {
    expect(issues({ workdayPeriods: [{ start: '9:00', end: '24:30' }] })).toEqual([
      ['workdayPeriods.0.start', 'start must be a time HH:mm from 00:00 to 23:59'],
      ['workdayPeriods.0.end', 'end must be a time HH:mm from 00:01 to 24:00'],
    ]);
    expect(issues({ workdayPeriods: [{ start: '24:00', end: '24:00' }] })?.[0]?.[0]).toBe('workdayPeriods.0.start');
  });

  it('refuses weekdays outside 1–7 and repeated ones', () => {
    expect(issues({ workdays: [0] })).toEqual([['workdays.0', 'a workday is an ISO weekday 1 (Monday) to 7 (Sunday)']]);
    expect(issues({ workdays: [8] })).toEqual([['workdays.0', 'a workday is an ISO weekday 1 (Monday) to 7 (Sunday)']]);
    expect(issues({ workdays: [1, 1] })).toEqual([['workdays', 'workdays must not repeat']]);
  });

  it('refuses exceptions on impossible or repeated dates', () => {
    expect(issues({ exceptions: [{ date: '2025-02-29', kind: 'workday' }] })).toEqual([['exceptions.0.date', 'date must be a calendar date YYYY-MM-DD']]);
    expect(issues({ exceptions: [{ date: '2025/03/01', kind: 'workday' }] })?.[0]?.[0]).toBe('exceptions.0.date');
    expect(issues({ exceptions: [{ date: '2024-02-29', kind: 'holiday' }] })?.[0]?.[0]).toBe('exceptions.0.kind');
    expect(issues({ exceptions: [{ date: '2024-02-29', kind: 'workday' }, { date: '2024-02-29', kind: 'non-workday' }] })).toEqual([
      ['exceptions.1.date', '2024-02-29 is listed twice'],
    ]);
  });

  it('requires an off-hours message', () => {
    expect(issues({ offHoursMessage: '  ' })).toEqual([['offHoursMessage', 'an off-hours message is required']]);
  });
});

describe('nextOpening properties', () => {
  const MINUTE_MS = 60_000;
  const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'Pacific/Chatham', 'UTC'];
  const FROM = at('2024-12-20T00:00:00Z');
  const UNTIL = at('2026-01-10T00:00:00Z');
  /** Each zone's clock changes in the window, to start near them often. */
  const CHANGES = new Map(ZONES.map((zone) => [zone, offsetChangesBetween(zone, FROM, UNTIL)]));

  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  /** Up to 4 non-overlapping periods on a 15-minute grid of `[fromMinute, toMinute]`. */
  const periodsWithin = (fromMinute: number, toMinute: number) =>
    fc.uniqueArray(fc.integer({ min: fromMinute / 15, max: toMinute / 15 }), { maxLength: 8 }).map((marks) => {
      const sorted = marks.map((m) => m * 15).sort((a, b) => a - b);
      const periods = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) periods.push({ start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) });
      return periods;
    });
  // Most clocks change between 00:00 and 04:00 local: periods there often.
  const periodsArb = fc.oneof(periodsWithin(0, 1440), periodsWithin(0, 240));
  const dateArb = fc.integer({ min: 0, max: 385 }).map((days) => new Date(FROM + days * 86_400_000).toISOString().slice(0, 10));
  const caseArb = fc.constantFrom(...ZONES).chain((timeZone) => {
    const changes = CHANGES.get(timeZone)!;
    const nearChange = (spreadMs: number) =>
      fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -spreadMs, max: spreadMs })).map(([change, delta]) => change + delta);
    return fc.record({
      hours: fc
        .record({
          alwaysOpen: fc.oneof({ arbitrary: fc.constant(false), weight: 19 }, { arbitrary: fc.constant(true), weight: 1 }),
          timeZone: fc.constant(timeZone),
          workdays: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
          workdayPeriods: periodsArb,
          nonWorkdayPeriods: periodsArb,
          exceptions: fc.uniqueArray(fc.record({ date: dateArb, kind: fc.constantFrom('workday' as const, 'non-workday' as const) }), { selector: (e) => e.date, maxLength: 6 }),
          offHoursMessage: fc.constant('closed'),
        })
        .map((input) => WorkingHours.parse(input)),
      now: changes.length === 0 ? fc.integer({ min: FROM, max: UNTIL }) : fc.oneof(fc.integer({ min: FROM, max: UNTIL }), nearChange(2 * 86_400_000), nearChange(3 * 3_600_000)),
    });
  });

  it('isWithinHours(h, nextOpening(h, t)) whenever nextOpening gives a time, within the horizon', () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }), ({ hours: h, now }, fractions) => {
        const opening = nextOpening(h, now);
        if (opening === undefined) return;
        expect(isWithinHours(h, opening)).toBe(true);
        expect(opening).toBeGreaterThanOrEqual(now);
        expect(opening - now).toBeLessThanOrEqual(NEXT_OPENING_HORIZON_MS);
        if (isWithinHours(h, now)) return void expect(opening).toBe(now);
        // Closed right before it opens, and at any instant in between.
        expect(isWithinHours(h, opening - 1)).toBe(false);
        for (const f of fractions) expect(isWithinHours(h, Math.floor(now + f * (opening - now - 1)))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('nextOpening is the first open minute a minute-by-minute scan finds', () => {
    fc.assert(
      fc.property(caseArb, ({ hours: h, now }) => {
        let scanned: number | undefined;
        if (isWithinHours(h, now)) scanned = now;
        else {
          for (let t = Math.ceil(now / MINUTE_MS) * MINUTE_MS; t <= now + NEXT_OPENING_HORIZON_MS; t += MINUTE_MS) {
            if (isWithinHours(h, t)) {
              scanned = t;
              break;
            }
          }
        }
        expect(iso(nextOpening(h, now))).toBe(iso(scanned));
      }),
      { numRuns: 200 },
    );
  });
});
