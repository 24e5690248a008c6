import type { ReportConversation, ReportConversationList } from '@frontdesk/protocol';
import { sql } from 'kysely';
import type { Storage } from '../../platform/storage/storage.ts';
import { channelMatch } from './channel-metrics.ts';
import { reportRangeOf } from './report-range.ts';

export interface DrillDownFilters {
  from: string;
  to: string;
  tz: string;
  queueId?: string | undefined;
  agentId?: string | undefined;
  channelId?: string | undefined;
  rated?: 'true' | 'false' | undefined;
  limit: number;
}

/**
 * The ended conversations behind a figure, timed as its report times them: with `queueId`, the
 * visits that entered that queue in the range (per queue); with `agentId` alone, the assignments
 * that began in it (per agent); `rated`, the ratings given in it (CSAT); otherwise the
 * conversations opened in it (per channel). Newest first, at most `limit`.
 */
export async function drillDown(storage: Storage, appId: string, f: DrillDownFilters): Promise<ReportConversationList> {
  const { db } = storage;
  const range = reportRangeOf({ from: f.from, to: f.to, tz: f.tz, interval: 'day' });
  const take = f.limit + 1;
  let ids: { id: string; at: number }[];
  if (f.rated === 'true') {
    let q = db.selectFrom('report_ratings').select(['conversation_id as id', 'rated_at as at']).where('app_id', '=', appId).where('rated_at', '>=', range.fromMs).where('rated_at', '<', range.toMs);
    if (f.agentId) q = q.where('agent_id', '=', f.agentId);
    ids = await q.orderBy('rated_at', 'desc').limit(take).execute();
  } else if (f.queueId) {
    let q = db.selectFrom('report_queue_visits').select(['conversation_id as id', 'entered_at as at']).where('app_id', '=', appId).where('queue_id', '=', f.queueId).where('entered_at', '>=', range.fromMs).where('entered_at', '<', range.toMs);
    if (f.agentId) q = q.where('agent_id', '=', f.agentId);
    if (f.channelId) q = q.where(channelMatch('channel_id', f.channelId));
    ids = await q.orderBy('entered_at', 'desc').limit(take).execute();
  } else if (f.agentId) {
    let q = db
      .selectFrom('report_assignments')
      .select(['conversation_id as id', sql<number>`max(assigned_at)`.as('at')])
      .where('app_id', '=', appId)
      .where('agent_id', '=', f.agentId)
      .where('assigned_at', '>=', range.fromMs)
      .where('assigned_at', '<', range.toMs);
    if (f.channelId) q = q.where(channelMatch('channel_id', f.channelId));
    ids = (await q.groupBy('conversation_id').orderBy('at', 'desc').limit(take).execute()).map((r) => ({ id: r.id, at: Number(r.at) }));
  } else {
    let q = db.selectFrom('report_conversations').select(['conversation_id as id', 'arrived_at as at']).where('app_id', '=', appId).where('arrived_at', '>=', range.fromMs).where('arrived_at', '<', range.toMs);
    if (f.channelId) q = q.where(channelMatch('channel_id', f.channelId));
    ids = await q.orderBy('arrived_at', 'desc').limit(take).execute();
  }
  const hasMore = ids.length > f.limit;
  const wanted = ids.slice(0, f.limit).map((r) => r.id);
  if (wanted.length === 0) return { conversations: [], hasMore };
  const rows = await db
    .selectFrom('report_conversations as c')
    .leftJoin('report_ratings as r', 'r.conversation_id', 'c.conversation_id')
    .select(['c.conversation_id', 'c.channel_id', 'c.queue_id', 'c.last_agent_id', 'c.arrived_at', 'c.ended_at', 'c.outcome', 'c.wait_ms', 'r.stars'])
    .where('c.app_id', '=', appId)
    .where('c.conversation_id', 'in', wanted)
    .execute();
  const byId = new Map(rows.map((r) => [r.conversation_id, r]));
  const conversations: ReportConversation[] = [];
  for (const id of wanted) {
    const r = byId.get(id);
    if (!r) continue;
    conversations.push({ conversationId: id, channelId: r.channel_id, queueId: r.queue_id, lastAgentId: r.last_agent_id, arrivedAt: r.arrived_at, endedAt: r.ended_at, outcome: r.outcome, waitMs: r.wait_ms, stars: r.stars ?? null });
  }
  return { conversations, hasMore };
}
