import type { Db } from '../../platform/storage/storage.ts';
import type { StatusChange } from './agent-metrics.ts';
import type { WrapUpSpan } from './queue-metrics.ts';
import type { ReportRange } from './report-range.ts';
import { agentReportOfSlots, channelReportOfSlots, csatReportOfSlots, queueReportOfSlots, slotAligned, type VisitWrapUp } from './rollup-metrics.ts';

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

/** Spans of assignments that may overlap the range (for occupancy), read like the rows' path. */
export async function agentReportFromSlots(db: Db, appId: string, range: ReportRange, f: { agentId?: string | undefined }, spillMs: number, statusChanges: Promise<StatusChange[]>, nowMs: number) {
  let slots = db.selectFrom('report_agent_slots').selectAll().where('app_id', '=', appId).where('slot_at', '>=', range.fromMs).where('slot_at', '<', range.toMs);
  let around = db
    .selectFrom('report_assignments')
    .select(['agent_id', 'assigned_at', 'ended_at'])
    .where('app_id', '=', appId)
    .where('assigned_at', '>=', range.fromMs - spillMs)
    .where('assigned_at', '<', range.toMs);
  if (f.agentId) {
    slots = slots.where('agent_id', '=', f.agentId);
    around = around.where('agent_id', '=', f.agentId);
  }
  const [s, a, changes] = await Promise.all([slots.execute(), around.execute(), statusChanges]);
  return agentReportOfSlots(
    s,
    a.map((x) => ({ agentId: x.agent_id, start: x.assigned_at, end: x.ended_at })),
    f.agentId ? changes.filter((x) => x.agentId === f.agentId) : changes,
    range.buckets,
    nowMs,
  );
}

export async function channelReportFromSlots(db: Db, appId: string, range: ReportRange, f: { channelId?: string | undefined }) {
  let q = db.selectFrom('report_channel_slots').selectAll().where('app_id', '=', appId).where('slot_at', '>=', range.fromMs).where('slot_at', '<', range.toMs);
  if (f.channelId) q = q.where('channel_id', '=', f.channelId);
  return channelReportOfSlots(await q.execute(), range.buckets);
}

export async function csatReportFromSlots(db: Db, appId: string, range: ReportRange, f: { agentId?: string | undefined }) {
  let q = db
    .selectFrom('report_agent_slots')
    .selectAll()
    .where('app_id', '=', appId)
    .where('slot_at', '>=', range.fromMs)
    .where('slot_at', '<', range.toMs)
    .where('ratings', '>', 0);
  if (f.agentId) q = q.where('agent_id', '=', f.agentId);
  return csatReportOfSlots(await q.execute(), range.buckets);
}
