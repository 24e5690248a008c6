import { sql } from 'kysely';
import type { ReportBucket } from '@frontdesk/protocol';
import type { Db } from '../../platform/storage/storage.ts';
import type { StatusChange } from './agent-metrics.ts';
import type { WrapUpSpan } from './queue-metrics.ts';
import type { ReportRange } from './report-range.ts';
import { agentReportOfSlots, channelReportOfSlots, csatReportOfSlots, queueReportOfSlots, slotAligned, type VisitWrapUp } from './rollup-metrics.ts';
import { agentReportOfHours, hourAligned, type AgentHourRow } from './rollup-hours.ts';
import type { AgentSlotRow, ChannelSlotRow } from './rollup-slots.ts';

/**
 * Reports read from the roll-up slots (one row per queue, agent or channel and quarter hour)
 * instead of one row per visit, assignment or conversation. `rollupsServe` says when they give
 * the same figures as the rows: every bucket bound on a quarter hour (any zone's day, week or
 * hour of a range with such bounds) and no filter the slots are not keyed by.
 */

export type ReportKind = 'queues' | 'agents' | 'channels' | 'csat';

export function rollupsServe(kind: ReportKind, range: ReportRange, f: { queueId?: string | undefined; agentId?: string | undefined; channelId?: string | undefined }): boolean {
  if (!slotAligned(range.buckets)) return false;
  switch (kind) {
    case 'queues':
      return !f.agentId && !f.channelId;
    case 'agents':
    case 'csat':
      return !f.queueId && !f.channelId;
    case 'channels':
      return !f.queueId && !f.agentId;
  }
}

/**
 * The index of the bucket holding `slot_at`, as SQL: a balanced tree of comparisons with the
 * buckets' starts (at most 11 deep for 2,000 buckets), so the database adds the slots of each
 * bucket and returns one row per key and bucket instead of one per slot. The bounds are integers
 * this module computed (checked), written as literals.
 */
function bucketOfSlotSql(buckets: readonly ReportBucket[], at: 'slot_at' | 'hour_at'): string {
  for (const b of buckets) if (!Number.isSafeInteger(b.start)) throw new Error('bucket bounds must be integers');
  const tree = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `case when ${at} < ${buckets[mid]!.start} then ${tree(lo, mid - 1)} else ${tree(mid, hi)} end`;
  };
  return tree(0, buckets.length - 1);
}

/** The sums of `columns` per key and bucket, as slot rows whose slot_at is their bucket's start (the metric functions add them as they would slots). */
async function sumsByBucket<T extends 'report_agent_slots' | 'report_channel_slots' | 'report_agent_hours'>(
  db: Db,
  table: T,
  key: 'agent_id' | 'channel_id',
  columns: readonly string[],
  appId: string,
  range: ReportRange,
  only: { value?: string | undefined; ratedOnly?: boolean } = {},
): Promise<Record<string, number | string>[]> {
  const at = table === 'report_agent_hours' ? 'hour_at' : 'slot_at';
  const bucket = bucketOfSlotSql(range.buckets, at);
  const sums = columns.map((c) => `sum(${c}) as ${c}`).join(', ');
  const keyFilter = only.value !== undefined ? sql` and ${sql.ref(key)} = ${only.value}` : sql``;
  const rated = only.ratedOnly ? sql` and ratings > 0` : sql``;
  const rows = await sql<Record<string, number | string>>`select ${sql.ref(key)} as k, ${sql.raw(bucket)} as b, ${sql.raw(sums)} from ${sql.table(table)} where app_id = ${appId} and ${sql.ref(at)} >= ${range.fromMs} and ${sql.ref(at)} < ${range.toMs}${keyFilter}${rated} group by k, b`.execute(db);
  return rows.rows.map((r) => {
    const out: Record<string, number | string> = { app_id: appId, [key]: String(r.k), [at]: range.buckets[Number(r.b)]!.start };
    // NOTE: PostgreSQL returns sum(bigint) as numeric text; every sum here is an integer below 2^53.
    for (const c of columns) out[c] = Number(r[c]);
    return out;
  });
}

// NOTE: each report sums only the columns it shows: SQLite's cost is per column read, and a month
// holds 50 agents × 2,880 slots.
const AGENT_SUMS = ['assignments', 'handle_ms', 'first_responses', 'first_response_ms', 'responses', 'response_ms', 'offers', 'missed_offers', 'declined_offers', 'calls', 'calls_handled', 'ratings', 'stars_sum'] as const;
const CSAT_SUMS = ['ratings', 'stars_sum', 'stars_1', 'stars_2', 'stars_3', 'stars_4', 'stars_5'] as const;
const CHANNEL_SUMS = ['conversations', 'with_bot', 'bot_resolved', 'handed_off', 'answered', 'abandoned'] as const;

/** A wrap-up lasts past the conversation's end, so it is joined from the status history at query time. */
async function wrapUpsOf(db: Db, appId: string, range: ReportRange, queueId: string | undefined, spans: readonly WrapUpSpan[]): Promise<VisitWrapUp[]> {
  if (spans.length === 0) return [];
  const wrapUpAt = new Map(spans.map((w) => [`${w.agentId}@${w.start}`, w.end - w.start]));
  let q = db
    .selectFrom('report_queue_visits')
    .select(['queue_id', 'entered_at', 'agent_id', 'assignment_ended_at'])
    .where('app_id', '=', appId)
    .where('entered_at', '>=', range.fromMs)
    .where('entered_at', '<', range.toMs)
    .where('outcome', '=', 'answered');
  if (queueId) q = q.where('queue_id', '=', queueId);
  const out: VisitWrapUp[] = [];
  for (const v of await q.execute()) {
    const ms = v.agent_id && v.assignment_ended_at !== null ? wrapUpAt.get(`${v.agent_id}@${v.assignment_ended_at}`) : undefined;
    if (ms !== undefined) out.push({ queueId: v.queue_id, enteredAt: v.entered_at, wrapUpMs: ms });
  }
  return out;
}

export async function queueReportFromSlots(db: Db, appId: string, range: ReportRange, f: { queueId?: string | undefined }, serviceLevelMs: number, wrapUpSpans: () => Promise<WrapUpSpan[]>) {
  let q = db.selectFrom('report_queue_slots').selectAll().where('app_id', '=', appId).where('slot_at', '>=', range.fromMs).where('slot_at', '<', range.toMs);
  if (f.queueId) q = q.where('queue_id', '=', f.queueId);
  const [slots, wrapUps] = await Promise.all([q.execute(), wrapUpSpans().then((spans) => wrapUpsOf(db, appId, range, f.queueId, spans))]);
  return queueReportOfSlots(slots, wrapUps, range.buckets, serviceLevelMs);
}

/**
 * The spans of the agents' assignments that began in [fromMs, toMs) (the rows' path reads the same
 * ones), three columns through the (app_id, agent_id, assigned_at, ended_at) index. NOTE: merging
 * them in the database (gaps and islands over window functions) was slower on SQLite than reading
 * them: in a month of a busy app few of them overlap.
 */
async function heldSpansOf(db: Db, appId: string, fromMs: number, toMs: number, agentId: string | undefined) {
  let q = db.selectFrom('report_assignments').select(['agent_id', 'assigned_at', 'ended_at']).where('app_id', '=', appId).where('assigned_at', '>=', fromMs).where('assigned_at', '<', toMs);
  if (agentId !== undefined) q = q.where('agent_id', '=', agentId);
  return (await q.execute()).map((r) => ({ agentId: r.agent_id, start: r.assigned_at, end: r.ended_at }));
}

/** Time in status and occupancy from the status history and the spans agents held conversations (assignments up to `spillMs` before the range). */
export async function agentReportFromSlots(db: Db, appId: string, range: ReportRange, f: { agentId?: string | undefined }, spillMs: number, statusChanges: Promise<StatusChange[]>, nowMs: number) {
  if (hourAligned(range.buckets)) return agentReportFromHours(db, appId, range, f, statusChanges, nowMs);
  const slots = sumsByBucket(db, 'report_agent_slots', 'agent_id', AGENT_SUMS, appId, range, { value: f.agentId }) as Promise<unknown[]> as Promise<AgentSlotRow[]>;
  const [s, held, changes] = await Promise.all([slots, heldSpansOf(db, appId, range.fromMs - spillMs, range.toMs, f.agentId), statusChanges]);
  return agentReportOfSlots(s, held, f.agentId ? changes.filter((x) => x.agentId === f.agentId) : changes, range.buckets, nowMs);
}

/**
 * The agent report from the hourly tier (every bucket bound on a UTC hour): the sums per agent and
 * bucket in SQL, and each hour's held time (its spans parsed only in hours a status changes in).
 */
async function agentReportFromHours(db: Db, appId: string, range: ReportRange, f: { agentId?: string | undefined }, statusChanges: Promise<StatusChange[]>, nowMs: number) {
  const sums = sumsByBucket(db, 'report_agent_hours', 'agent_id', AGENT_SUMS, appId, range, { value: f.agentId }) as Promise<unknown[]> as Promise<AgentHourRow[]>;
  let held = db.selectFrom('report_agent_hours').select(['agent_id', 'hour_at', 'held_ms', 'held']).where('app_id', '=', appId).where('hour_at', '>=', range.fromMs).where('hour_at', '<', range.toMs).where('held_ms', '>', 0);
  if (f.agentId !== undefined) held = held.where('agent_id', '=', f.agentId);
  const [s, h, changes] = await Promise.all([sums, held.execute(), statusChanges]);
  const heldHours = h.map((r) => ({ agent_id: r.agent_id, hour_at: Number(r.hour_at), held_ms: Number(r.held_ms), held: r.held }));
  return agentReportOfHours(s, heldHours, f.agentId ? changes.filter((x) => x.agentId === f.agentId) : changes, range.buckets, nowMs);
}

export async function channelReportFromSlots(db: Db, appId: string, range: ReportRange, f: { channelId?: string | undefined }) {
  const rows = (await sumsByBucket(db, 'report_channel_slots', 'channel_id', CHANNEL_SUMS, appId, range, { value: f.channelId })) as unknown[] as ChannelSlotRow[];
  return channelReportOfSlots(rows, range.buckets);
}

export async function csatReportFromSlots(db: Db, appId: string, range: ReportRange, f: { agentId?: string | undefined }) {
  const rows = (await sumsByBucket(db, 'report_agent_slots', 'agent_id', CSAT_SUMS, appId, range, { value: f.agentId, ratedOnly: true })) as unknown[] as AgentSlotRow[];
  return csatReportOfSlots(rows, range.buckets);
}
