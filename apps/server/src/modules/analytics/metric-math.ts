import type { ReportBucket } from '@frontdesk/protocol';
import { bucketIndexOf } from './time-buckets.ts';

/** Small arithmetic shared by the metric functions: averages, shares, percentiles, grouping. */

/** The sum of `of` over the rows. */
export const sum = <R>(rows: readonly R[], of: (row: R) => number): number => rows.reduce((s, r) => s + of(r), 0);

/** sum / count, or null when there is nothing to average. */
export const average = (sum: number, count: number): number | null => (count > 0 ? sum / count : null);
export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Nearest-rank percentile (p in 0–100) of the values: the smallest value with p % at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Groups rows by key and by bucket of their time: `groups.get(key)` holds one list per bucket and
 * the list of the whole range; rows outside every bucket are left out.
 */
export function groupByBucket<R>(rows: readonly R[], buckets: readonly ReportBucket[], keyOf: (row: R) => string, atOf: (row: R) => number) {
  const groups = new Map<string, { total: R[]; byBucket: R[][] }>();
  for (const row of rows) {
    const index = bucketIndexOf(buckets, atOf(row));
    if (index < 0) continue;
    const key = keyOf(row);
    let group = groups.get(key);
    if (!group) {
      group = { total: [], byBucket: buckets.map(() => []) };
      groups.set(key, group);
    }
    group.total.push(row);
    group.byBucket[index]!.push(row);
  }
  return groups;
}

export interface Interval {
  start: number;
  end: number;
}

/** The instants covered by any of the intervals, as sorted disjoint intervals. */
export function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** How long two sets of disjoint sorted intervals overlap, in ms. */
export function overlapMs(a: readonly Interval[], b: readonly Interval[]): number {
  let total = 0;
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]!.end <= x.start) j++;
    for (let k = j; k < b.length && b[k]!.start < x.end; k++) total += Math.max(0, Math.min(x.end, b[k]!.end) - Math.max(x.start, b[k]!.start));
  }
  return total;
}

/** The parts of sorted disjoint intervals inside `window` (binary search to the first one that reaches it). */
export function clipSorted(intervals: readonly Interval[], window: Interval): Interval[] {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid]!.end <= window.start) lo = mid + 1;
    else hi = mid;
  }
  const out: Interval[] = [];
  for (let i = lo; i < intervals.length && intervals[i]!.start < window.end; i++) out.push({ start: Math.max(intervals[i]!.start, window.start), end: Math.min(intervals[i]!.end, window.end) });
  return out;
}
