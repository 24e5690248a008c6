import type { ReportBucket, ReportInterval } from '@frontdesk/protocol';
import { AnalyticsError } from './analytics.errors.ts';
import { bucketsOf, isTimeZone, parseInstant } from './time-buckets.ts';

/** A report covers at most this long, in at most this many buckets (hourly: 83 days). */
export const MAX_RANGE_MS = 400 * 24 * 3_600_000;
export const MAX_BUCKETS = 2000;

export interface ReportRange {
  fromMs: number;
  toMs: number;
  tz: string;
  interval: ReportInterval;
  buckets: ReportBucket[];
}

/** The range of a report query, checked: a clear FD_REPORT_* error for each way it can be wrong. */
export function reportRangeOf(query: { from: string; to: string; tz: string; interval: ReportInterval }): ReportRange {
  const { tz, interval } = query;
  if (!isTimeZone(tz)) throw new AnalyticsError('FD_REPORT_TIMEZONE_INVALID', `tz: "${tz}" is not an IANA time zone (e.g. Europe/Berlin)`);
  const fromMs = parseInstant(query.from, tz);
  const toMs = parseInstant(query.to, tz);
  if (fromMs === null) throw new AnalyticsError('FD_REPORT_RANGE_INVALID', 'from: ms since the epoch or ISO 8601 (2026-10-25, 2026-10-25T08:00, 2026-10-25T06:00:00Z)');
  if (toMs === null) throw new AnalyticsError('FD_REPORT_RANGE_INVALID', 'to: ms since the epoch or ISO 8601 (2026-10-26, 2026-10-26T08:00, 2026-10-26T06:00:00Z)');
  if (toMs <= fromMs) throw new AnalyticsError('FD_REPORT_RANGE_INVALID', 'to must be after from (the range is [from, to))');
  if (toMs - fromMs > MAX_RANGE_MS) throw new AnalyticsError('FD_REPORT_RANGE_TOO_LARGE', 'a report covers at most 400 days');
  const buckets = bucketsOf(tz, fromMs, toMs, interval, MAX_BUCKETS);
  if (!buckets) throw new AnalyticsError('FD_REPORT_RANGE_TOO_LARGE', `at most ${MAX_BUCKETS} buckets: use a longer interval or a shorter range`);
  return { fromMs, toMs, tz, interval, buckets };
}
