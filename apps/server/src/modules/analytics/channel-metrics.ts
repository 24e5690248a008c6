import type { ChannelMetrics, CsatMetrics, ReportBucket } from '@frontdesk/protocol';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ConversationFact } from './conversation-facts.ts';
import { average, groupByBucket, share } from './metric-math.ts';

/** An ended conversation as the channel report reads it back (report_conversations). */
export type ConversationRow = Pick<ConversationFact, 'channelId' | 'arrivedAt' | 'outcome' | 'withBot' | 'handedOff'>;

/** The channel id of conversations opened without a channel (the API's own). */
export const NO_CHANNEL = 'none';

/** A `channelId` filter on this column: `none` is a conversation without a channel (null). */
export function channelMatch(column: string, channelId: string): Expression<SqlBool> {
  return channelId === NO_CHANNEL ? sql<SqlBool>`${sql.ref(column)} is null` : sql<SqlBool>`${sql.ref(column)} = ${channelId}`;
}

export function channelMetricsOf(rows: readonly ConversationRow[]): ChannelMetrics {
  const withBot = rows.filter((r) => r.withBot).length;
  const botResolved = rows.filter((r) => r.outcome === 'bot_resolved').length;
  const handedOff = rows.filter((r) => r.handedOff).length;
  return {
    conversations: rows.length,
    withBot,
    botResolved,
    botResolvedShare: share(botResolved, withBot),
    handedOff,
    handOffRate: share(handedOff, withBot),
    answered: rows.filter((r) => r.outcome === 'answered').length,
    abandoned: rows.filter((r) => r.outcome === 'abandoned').length,
  };
}

/** Per channel, for the range and each bucket, by when the conversation was opened. */
export function channelReportOf(rows: readonly ConversationRow[], buckets: readonly ReportBucket[]) {
  const groups = groupByBucket(rows, buckets, (r) => r.channelId ?? NO_CHANNEL, (r) => r.arrivedAt);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channelId, g]) => ({ channelId, total: channelMetricsOf(g.total), byBucket: g.byBucket.map(channelMetricsOf) }));
}

export function csatMetricsOf(ratings: readonly { stars: number }[]): CsatMetrics {
  const distribution = [0, 0, 0, 0, 0];
  for (const r of ratings) distribution[Math.min(5, Math.max(1, r.stars)) - 1]!++;
  return { count: ratings.length, average: average(ratings.reduce((s, r) => s + r.stars, 0), ratings.length), distribution };
}

/** The CSAT distribution, for the range and each bucket, by when the rating was given. */
export function csatReportOf(ratings: readonly { stars: number; ratedAt: number }[], buckets: readonly ReportBucket[]) {
  const group = groupByBucket(ratings, buckets, () => 'all', (r) => r.ratedAt).get('all');
  return { total: csatMetricsOf(group?.total ?? []), byBucket: buckets.map((_, i) => csatMetricsOf(group?.byBucket[i] ?? [])) };
}
