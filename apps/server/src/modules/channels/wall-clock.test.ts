import { describe, expect, it } from 'vitest';
import { DAY_MS, instantsAtWallTime, isTimeZone, offsetChangesBetween, offsetMsAt, utcMs, wallClockAt } from './wall-clock.ts';

const HOUR_MS = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('wall clock', () => {
  it('reads the local date and time in a zone', () => {
    expect(wallClockAt('Asia/Shanghai', at('2025-03-02T16:30:15Z'))).toMatchObject({ year: 2025, month: 3, day: 3, secondOfDay: 1_815 });
    expect(wallClockAt('America/New_York', at('2025-01-01T04:59:59Z'))).toMatchObject({ year: 2024, month: 12, day: 31, secondOfDay: 86_399 });
  });

  it('gives offsets with daylight saving time', () => {
    expect(offsetMsAt('Asia/Shanghai', at('2025-07-01T00:00:00Z'))).toBe(8 * HOUR_MS);
    expect(offsetMsAt('America/New_York', at('2025-01-15T12:00:00Z'))).toBe(-5 * HOUR_MS);
    expect(offsetMsAt('America/New_York', at('2025-07-15T12:00:00Z'))).toBe(-4 * HOUR_MS);
    expect(offsetMsAt('Asia/Kathmandu', at('2025-07-15T12:00:00Z'))).toBe(5.75 * HOUR_MS);
  });

  it('maps a wall time to no instant in the skipped hour and two in the repeated one', () => {
    expect(instantsAtWallTime('America/New_York', utcMs(2025, 3, 9, 2.5 * 3600))).toEqual([]);
    expect(instantsAtWallTime('America/New_York', utcMs(2025, 3, 9, 3 * 3600))).toEqual([at('2025-03-09T07:00:00Z')]);
    expect(instantsAtWallTime('America/New_York', utcMs(2025, 11, 2, 1.5 * 3600))).toEqual([at('2025-11-02T05:30:00Z'), at('2025-11-02T06:30:00Z')]);
    expect(instantsAtWallTime('Asia/Shanghai', utcMs(2025, 11, 2, 1.5 * 3600))).toEqual([at('2025-11-01T17:30:00Z')]);
  });

  it('finds the instants the clocks change', () => {
    const year = offsetChangesBetween('America/New_York', at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'));
    expect(year).toEqual([at('2025-03-09T07:00:00Z'), at('2025-11-02T06:00:00Z')]);
    expect(offsetChangesBetween('Asia/Shanghai', at('2025-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z') + 30 * DAY_MS)).toEqual([]);
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
