import { describe, expect, it } from 'vitest';
import { bucketIndexOf, bucketsOf, instantOfWallTime, isTimeZone, offsetMsAt, parseInstant } from './time-buckets.ts';

const H = 3_600_000;
const BERLIN = 'Europe/Berlin';

describe('time buckets', () => {
  it('the Berlin day of the autumn change is 25 hours long, the spring one 23', () => {
    const autumn = bucketsOf(BERLIN, Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 26, 23), 'day', 10)!;
    expect(autumn.map((b) => [b.label, (b.end - b.start) / H])).toEqual([
      ['2026-10-25', 25],
      ['2026-10-26', 24],
    ]);
    const spring = bucketsOf(BERLIN, Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 22), 'day', 10)!;
    expect(spring.map((b) => [b.label, (b.end - b.start) / H])).toEqual([['2026-03-29', 23]]);
  });

  it('hour buckets of the autumn night show 02:00 twice, with their two offsets', () => {
    const hours = bucketsOf(BERLIN, Date.UTC(2026, 9, 24, 23), Date.UTC(2026, 9, 25, 3), 'hour', 10)!;
    expect(hours.map((b) => b.label)).toEqual(['2026-10-25T01:00+02:00', '2026-10-25T02:00+02:00', '2026-10-25T02:00+01:00', '2026-10-25T03:00+01:00']);
    expect(hours.every((b) => b.end - b.start === H)).toBe(true);
  });

  it('a day is 24 hours of buckets except on a change day (25 hourly buckets on 25 October)', () => {
    const day = bucketsOf(BERLIN, Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 25, 23), 'hour', 100)!;
    expect(day).toHaveLength(25);
  });

  it('weeks start on Monday at local midnight, and the range clips the first and last', () => {
    const weeks = bucketsOf(BERLIN, Date.UTC(2026, 9, 21, 10), Date.UTC(2026, 10, 3, 10), 'week', 10)!;
    expect(weeks.map((b) => b.label)).toEqual(['2026-10-19', '2026-10-26', '2026-11-02']);
    expect(weeks[0]!.start).toBe(Date.UTC(2026, 9, 21, 10));
    expect(weeks[1]!.start).toBe(Date.UTC(2026, 9, 25, 23));
    expect(weeks.at(-1)!.end).toBe(Date.UTC(2026, 10, 3, 10));
  });

  it('a zone with a 45-minute offset (Asia/Kathmandu) buckets its own hours and days', () => {
    const [day] = bucketsOf('Asia/Kathmandu', Date.UTC(2026, 0, 1, 0), Date.UTC(2026, 0, 1, 1), 'day', 10)!;
    expect(day!.label).toBe('2026-01-01');
    const hours = bucketsOf('Asia/Kathmandu', Date.UTC(2026, 0, 1, 0), Date.UTC(2026, 0, 1, 2), 'hour', 10)!;
    expect(hours.map((b) => b.label)).toEqual(['2026-01-01T05:00+05:45', '2026-01-01T06:00+05:45', '2026-01-01T07:00+05:45']);
    expect(hours[1]!.start).toBe(Date.UTC(2026, 0, 1, 0, 15));
  });

  it('too many buckets is null; each instant falls in exactly one bucket', () => {
    expect(bucketsOf('UTC', 0, 100 * H, 'hour', 99)).toBeNull();
    const buckets = bucketsOf(BERLIN, Date.UTC(2026, 9, 20), Date.UTC(2026, 9, 30), 'day', 20)!;
    for (let t = Date.UTC(2026, 9, 20); t < Date.UTC(2026, 9, 30); t += 17 * 60_000) {
      const i = bucketIndexOf(buckets, t);
      expect(buckets[i]!.start <= t && t < buckets[i]!.end).toBe(true);
    }
    expect(bucketIndexOf(buckets, Date.UTC(2026, 9, 30))).toBe(-1);
  });

  it('wall times: offsets, the repeated hour is its first instant, the missing hour moves forward', () => {
    expect(offsetMsAt(BERLIN, Date.UTC(2026, 9, 25, 0, 30))).toBe(2 * H);
    expect(offsetMsAt(BERLIN, Date.UTC(2026, 9, 25, 1, 30))).toBe(1 * H);
    expect(instantOfWallTime(BERLIN, { year: 2026, month: 10, day: 25, hour: 2, minute: 30 })).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(instantOfWallTime(BERLIN, { year: 2026, month: 3, day: 29, hour: 2, minute: 30 })).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('report bounds: ms, ISO with an offset, and ISO wall times of the zone', () => {
    expect(parseInstant('1792879200000', BERLIN)).toBe(1792879200000);
    expect(parseInstant('2026-10-25', BERLIN)).toBe(Date.UTC(2026, 9, 24, 22));
    expect(parseInstant('2026-10-25T12:00', BERLIN)).toBe(Date.UTC(2026, 9, 25, 11));
    expect(parseInstant('2026-10-25T12:00:00Z', BERLIN)).toBe(Date.UTC(2026, 9, 25, 12));
    expect(parseInstant('2026-10-25T12:00:00+05:30', BERLIN)).toBe(Date.UTC(2026, 9, 25, 6, 30));
    for (const bad of ['yesterday', '2026-13-01', '2026-10-25T25:00', '', '12e5']) expect(parseInstant(bad, BERLIN)).toBeNull();
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
