import type { Storage } from '../../apps/server/src/platform/storage/storage.ts';

/**
 * Writes `conversations` ended conversations straight into the report read model (and agents'
 * status history), spread evenly over `days` days before `endMs`: what months of traffic leave
 * behind, without running months of traffic. Deterministic (a seeded generator).
 */
export interface Generated {
  queueIds: string[];
  agentIds: string[];
  channelIds: string[];
}

const CHUNK = 1000;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function insertChunked(storage: Storage, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await storage.db.insertInto(table as never).values(rows.slice(i, i + CHUNK) as never).execute();
}

export async function generate(storage: Storage, appId: string, { conversations, days, endMs, onProgress }: { conversations: number; days: number; endMs: number; onProgress: (done: number) => void }): Promise<Generated> {
  const rnd = random(17);
  const queueIds = Array.from({ length: 10 }, (_, i) => `q_bench_${i}`);
  const agentIds = Array.from({ length: 50 }, (_, i) => `agt_bench_${i}`);
  const channelIds = ['chan_web', 'chan_app', 'chan_wechat'];
  const startMs = endMs - days * 86_400_000;
  const stepMs = (days * 86_400_000) / conversations;
  const BATCH = 10_000;
  for (let base = 0; base < conversations; base += BATCH) {
    const convs: Record<string, unknown>[] = [];
    const visits: Record<string, unknown>[] = [];
    const assignments: Record<string, unknown>[] = [];
    const offers: Record<string, unknown>[] = [];
    const ratings: Record<string, unknown>[] = [];
    for (let n = base; n < Math.min(conversations, base + BATCH); n++) {
      const id = `conv_b${n.toString(36).padStart(8, '0')}`;
      const arrivedAt = Math.floor(startMs + n * stepMs);
      const queueId = queueIds[n % queueIds.length]!;
      const channelId = channelIds[n % channelIds.length]!;
      const agentId = agentIds[Math.floor(rnd() * agentIds.length)]!;
      const withBot = rnd() < 0.3;
      const botOnly = withBot && rnd() < 0.4;
      const roll = rnd();
      const outcome = botOnly ? 'bot_resolved' : roll < 0.85 ? 'answered' : roll < 0.95 ? 'abandoned' : 'released';
      const queuedAt = botOnly ? null : arrivedAt + (withBot ? 20_000 : 0);
      const waitMs = queuedAt === null ? null : Math.floor(rnd() * 90_000);
      const answeredAt = outcome === 'answered' ? queuedAt! + waitMs! : null;
      const handleMs = outcome === 'answered' ? 60_000 + Math.floor(rnd() * 600_000) : 0;
      const endedAt = answeredAt !== null ? answeredAt + handleMs : (queuedAt ?? arrivedAt) + (waitMs ?? 30_000);
      const firstResponseMs = outcome === 'answered' ? Math.floor(rnd() * 60_000) : null;
      convs.push({
        conversation_id: id,
        app_id: appId,
        channel_id: channelId,
        visitor_id: `vis_b${n}`,
        queue_id: queuedAt === null ? null : queueId,
        arrived_at: arrivedAt,
        queued_at: queuedAt,
        answered_at: answeredAt,
        ended_at: endedAt,
        wait_ms: waitMs,
        outcome,
        with_bot: withBot ? 1 : 0,
        handed_off: withBot && !botOnly ? 1 : 0,
        transfers: 0,
        first_agent_id: answeredAt !== null ? agentId : null,
        last_agent_id: answeredAt !== null ? agentId : null,
        agent_ids: answeredAt !== null ? `["${agentId}"]` : '[]',
        handle_ms: handleMs,
        first_response_ms: firstResponseMs,
        visitor_messages: 4,
        agent_messages: answeredAt !== null ? 4 : 0,
        bot_messages: withBot ? 2 : 0,
        close_by: 'client',
        written_at: endedAt,
      });
      if (queuedAt === null) continue;
      visits.push({
        app_id: appId,
        conversation_id: id,
        queue_id: queueId,
        channel_id: channelId,
        entered_at: queuedAt,
        answered_at: answeredAt,
        wait_ms: waitMs,
        outcome,
        transferred: 0,
        agent_id: answeredAt !== null ? agentId : null,
        handle_ms: answeredAt !== null ? handleMs : null,
        assignment_ended_at: answeredAt !== null ? endedAt : null,
      });
      offers.push({ id: `${id}:0`, app_id: appId, conversation_id: id, agent_id: agentId, queue_id: queueId, offered_at: queuedAt, outcome: answeredAt !== null ? 'accepted' : 'withdrawn' });
      if (answeredAt === null) continue;
      assignments.push({
        id: `${id}:0`,
        app_id: appId,
        conversation_id: id,
        agent_id: agentId,
        queue_id: queueId,
        channel_id: channelId,
        assigned_at: answeredAt,
        ended_at: endedAt,
        handle_ms: handleMs,
        first_response_ms: firstResponseMs,
        responses: 3,
        response_total_ms: 3 * Math.floor(rnd() * 40_000),
        transferred_out: 0,
      });
      if (rnd() < 0.3) ratings.push({ conversation_id: id, app_id: appId, agent_id: agentId, stars: 1 + Math.floor(rnd() * 5), rated_at: endedAt + 30_000 });
    }
    await storage.db.transaction().execute(async (tx) => {
      const txStorage = { ...storage, db: tx } as Storage;
      await insertChunked(txStorage, 'report_conversations', convs);
      await insertChunked(txStorage, 'report_queue_visits', visits);
      await insertChunked(txStorage, 'report_assignments', assignments);
      await insertChunked(txStorage, 'report_offers', offers);
      await insertChunked(txStorage, 'report_ratings', ratings);
    });
    onProgress(Math.min(conversations, base + BATCH));
  }
  // Each agent's working day: free 08:00, rest 12:00–12:30, offline 17:00 (UTC).
  const changes: Record<string, unknown>[] = [];
  let ord = 1;
  for (let d = 0; d < days; d++) {
    const day = startMs - (startMs % 86_400_000) + d * 86_400_000;
    for (const agentId of agentIds) {
      for (const [hour, from, to] of [
        [8, 'offline', 'free'],
        [12, 'free', 'rest'],
        [12.5, 'rest', 'free'],
        [17, 'free', 'offline'],
      ] as const)
        changes.push({ id: `ash_b${ord}`, app_id: appId, agent_id: agentId, from_status: from, to_status: to, reason: null, at: day + hour * 3_600_000, ord: ord++ });
    }
  }
  await insertChunked(storage, 'agent_status_history', changes);
  return { queueIds, agentIds, channelIds };
}
