import type { AgentMetrics, ReportBucket } from '@frontdesk/protocol';
import type { Database } from '../../platform/storage/schema.ts';
import { agentFiguresOfSums, agentSumsOf, heldSpanOf, statusSpansOf, timeFiguresOf, timelineOf, type AgentCounted, type StatusChange } from './agent-metrics.ts';
import { clipSorted, groupByBucket, overlapMs, share, unionOf, type Interval } from './metric-math.ts';
import { NO_AGENT } from './rollup-slots.ts';
import { bucketIndexOf } from './time-buckets.ts';

/**
 * The pure part of the hourly agent roll-ups (report_agent_hours). A month of 15-minute agent slots
 * is 2,880 per agent, and occupancy still needed every assignment's span: an hour row holds the
 * slots' sums and the time held within the hour, so an agent report whose buckets all start and
 * end on a UTC hour (every whole-hour zone's hours, days and weeks) reads a quarter of the rows
 * and no assignment.
 */

export const HOUR_MS = 3_600_000;
export const hourOf = (atMs: number): number => Math.floor(atMs / HOUR_MS) * HOUR_MS;

export type AgentHourRow = Database['report_agent_hours'];

/** Whether every bucket starts and ends on a UTC hour, so hour rows add up to each bucket. */
export const hourAligned = (buckets: readonly ReportBucket[]): boolean => buckets.every((b) => b.start % HOUR_MS === 0 && b.end % HOUR_MS === 0);

/** The hours an assignment holds its agent in (its held span, capped), as hour starts. */
export function heldHoursOf(assignedAt: number, endedAt: number): number[] {
  const held = heldSpanOf({ start: assignedAt, end: endedAt });
  const out: number[] = [];
  for (let h = hourOf(held.start); h < held.end; h += HOUR_MS) out.push(h);
  return out;
}

/** Sorted disjoint spans within one hour, as "start-end" ms offsets from its start. */
export const encodeHeld = (spans: readonly Interval[], hourAt: number): string => spans.map((s) => `${s.start - hourAt}-${s.end - hourAt}`).join(',');
export function decodeHeld(text: string, hourAt: number): Interval[] {
  if (text === '') return [];
  return text.split(',').map((part) => {
    const dash = part.indexOf('-');
    return { start: hourAt + Number(part.slice(0, dash)), end: hourAt + Number(part.slice(dash + 1)) };
  });
}

/** The rows of one agent tier window: each row by its own time (agent key '' for agent-less ratings and calls). */
export interface AgentWindowRows {
  /** Every assignment whose held span may reach the window (began up to HELD_CAP_MS before it). */
  assignments: readonly (AgentCounted['assignments'][number] & { agentId: string; assignedAt: number; endedAt: number })[];
  offers: readonly (AgentCounted['offers'][number] & { agentId: string; offeredAt: number })[];
  ratings: readonly (AgentCounted['ratings'][number] & { agentId: string; ratedAt: number })[];
  calls: readonly (AgentCounted['calls'][number] & { agentId: string; startedAt: number })[];
}

/** The hour rows of [fromMs, toMs) (hour-aligned) of `rows`: counts by start hour, held time per hour. */
export function agentHourRowsOf(appId: string, fromMs: number, toMs: number, rows: AgentWindowRows): AgentHourRow[] {
  const inWindow = (at: number) => at >= fromMs && at < toMs;
  const counted = new Map<string, { agentId: string; hourAt: number; rows: { assignments: AgentWindowRows['assignments'][number][]; offers: AgentWindowRows['offers'][number][]; ratings: AgentWindowRows['ratings'][number][]; calls: AgentWindowRows['calls'][number][] } }>();
  const entry = (agentId: string, at: number) => {
    const hourAt = hourOf(at);
    const key = `${hourAt}@${agentId}`;
    let e = counted.get(key);
    if (!e) counted.set(key, (e = { agentId, hourAt, rows: { assignments: [], offers: [], ratings: [], calls: [] } }));
    return e.rows;
  };
  for (const a of rows.assignments) if (inWindow(a.assignedAt)) entry(a.agentId, a.assignedAt).assignments.push(a);
  for (const o of rows.offers) if (inWindow(o.offeredAt)) entry(o.agentId, o.offeredAt).offers.push(o);
  for (const r of rows.ratings) if (inWindow(r.ratedAt)) entry(r.agentId, r.ratedAt).ratings.push(r);
  for (const c of rows.calls) if (inWindow(c.startedAt)) entry(c.agentId, c.startedAt).calls.push(c);
  // Held time: each agent's held spans merged, then cut at the hours of the window.
  const spansOf = new Map<string, Interval[]>();
  for (const a of rows.assignments) {
    const list = spansOf.get(a.agentId) ?? spansOf.set(a.agentId, []).get(a.agentId)!;
    list.push(heldSpanOf({ start: a.assignedAt, end: a.endedAt }));
  }
  const held = new Map<string, Interval[]>();
  for (const [agentId, spans] of spansOf) {
    for (const s of unionOf(spans)) {
      for (let h = Math.max(fromMs, hourOf(s.start)); h < Math.min(toMs, s.end); h += HOUR_MS) {
        const key = `${h}@${agentId}`;
        const part = { start: Math.max(s.start, h), end: Math.min(s.end, h + HOUR_MS) };
        const list = held.get(key);
        if (list) list.push(part);
        else held.set(key, [part]);
        if (!counted.has(key)) counted.set(key, { agentId, hourAt: h, rows: { assignments: [], offers: [], ratings: [], calls: [] } });
      }
    }
  }
  return [...counted].map(([key, { agentId, hourAt, rows: r }]) => {
    const spans = held.get(key) ?? [];
    return { app_id: appId, hour_at: hourAt, agent_id: agentId, ...agentSumsOf(r), held_ms: spans.reduce((t, s) => t + s.end - s.start, 0), held: encodeHeld(spans, hourAt) };
  });
}

/** The held parts of an agent's hour rows the report reads (hour_at, held_ms, held). */
export type HeldHour = Pick<AgentHourRow, 'agent_id' | 'hour_at' | 'held_ms' | 'held'>;

/**
 * The time an agent held a conversation while free or busy, over its hour rows: a whole hour in
 * such a status adds its held_ms; an hour the status changes in adds its held spans' overlap with
 * `available` (sorted, disjoint), read from the row.
 */
export function heldWhileAvailableMs(hours: readonly HeldHour[], available: readonly Interval[]): number {
  let total = 0;
  for (const h of hours) {
    if (h.held_ms === 0) continue;
    const inHour = clipSorted(available, { start: h.hour_at, end: h.hour_at + HOUR_MS });
    if (inHour.length === 0) continue;
    if (inHour.length === 1 && inHour[0]!.end - inHour[0]!.start === HOUR_MS) total += h.held_ms;
    else total += overlapMs(decodeHeld(h.held, h.hour_at), inHour);
  }
  return total;
}

const lengthMs = (spans: readonly Interval[]): number => spans.reduce((t, s) => t + s.end - s.start, 0);

/**
 * Per agent from hour rows: the sums as agentReportOfSlots adds slots, and occupancy without the
 * assignments. NOTE: wrap-up is staffed time, and an agent's statuses never overlap, so
 * (held ∪ wrap-up) ∩ staffed = (held ∩ free-or-busy) + wrap-up: the rows' formula, term by term.
 */
export function agentReportOfHours(sums: readonly AgentHourRow[], held: readonly HeldHour[], statusChanges: readonly StatusChange[], buckets: readonly ReportBucket[], nowMs: number) {
  const range: Interval = { start: buckets[0]?.start ?? 0, end: buckets.at(-1)?.end ?? 0 };
  const spans = statusSpansOf(statusChanges, Math.min(range.end, nowMs));
  // An hour row with held time only (an assignment begun in an hour before) shows no one who did not work.
  const counted = sums.filter((s) => s.agent_id !== NO_AGENT && s.assignments + s.offers + s.ratings + s.calls > 0);
  const groups = groupByBucket(counted, buckets, (s) => s.agent_id, (s) => s.hour_at);
  const heldOf = new Map<string, HeldHour[][]>();
  for (const h of held) {
    const index = bucketIndexOf(buckets, h.hour_at);
    if (index < 0) continue;
    const byBucket = heldOf.get(h.agent_id) ?? heldOf.set(h.agent_id, buckets.map(() => [])).get(h.agent_id)!;
    byBucket[index]!.push(h);
  }
  const spansOf = new Map<string, typeof spans>();
  for (const s of spans) (spansOf.get(s.agentId) ?? spansOf.set(s.agentId, []).get(s.agentId)!).push(s);
  const agentIds = new Set([...groups.keys(), ...spans.filter((s) => s.end > range.start && s.start < range.end && s.status !== 'offline').map((s) => s.agentId)]);
  return [...agentIds].sort().map((agentId) => {
    const own = spansOf.get(agentId) ?? [];
    const timeline = timelineOf(own, []);
    const available = unionOf(own.filter((s) => s.status === 'free' || s.status === 'busy'));
    const wrapUp = unionOf(own.filter((s) => s.status === 'wrap_up'));
    const heldByBucket = heldOf.get(agentId);
    const occupiedMs = buckets.map((b, i) => lengthMs(clipSorted(wrapUp, b)) + (heldByBucket ? heldWhileAvailableMs(heldByBucket[i]!, available) : 0));
    const figures = (window: Interval, occupied: number) => {
      const { statusMs } = timeFiguresOf(timeline, window);
      return { statusMs, occupancy: share(occupied, lengthMs(clipSorted(timeline.staffed, window))) };
    };
    const g = groups.get(agentId);
    return {
      agentId,
      total: { ...agentFiguresOfSums(g?.total ?? []), ...figures(range, occupiedMs.reduce((t, x) => t + x, 0)) } as AgentMetrics,
      byBucket: buckets.map((b, i) => ({ ...agentFiguresOfSums(g?.byBucket[i] ?? []), ...figures(b, occupiedMs[i]!) }) as AgentMetrics),
    };
  });
}
