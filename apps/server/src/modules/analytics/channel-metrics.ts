import type { ChannelMetrics, CsatMetrics, ReportBucket } from '@frontdesk/protocol';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { AnalyticsTables } from './analytics.schema.ts';
import type { ConversationFact } from './conversation-facts.ts';
import { average, groupByBucket, share, sum } from './metric-math.ts';

/** An ended conversation as the channel report reads it back (report_conversations). */
export type ConversationRow = Pick<ConversationFact, 'channelId' | 'arrivedAt' | 'outcome' | 'withBot' | 'handedOff'>;

/** The channel id of conversations opened without a channel (the API's own). */
export const NO_CHANNEL = 'none';

/** A `channelId` filter on this column: `none` is a conversation without a channel (null). */
export function channelMatch(column: string, channelId: string): Expression<SqlBool> {
  return channelId === NO_CHANNEL ? sql<SqlBool>`${sql.ref(column)} is null` : sql<SqlBool>`${sql.ref(column)} = ${channelId}`;
}

/** The additive parts of the channel figures: what a roll-up slot keeps (report_channel_slots); the figures come from sums only. */
export type ChannelSums = Omit<AnalyticsTables['report_channel_slots'], 'app_id' | 'slot_at' | 'channel_id'>;

export function channelSumsOf(rows: readonly { outcome: string; withBot: boolean; handedOff: boolean }[]): ChannelSums {
  return {
    conversations: rows.length,
    with_bot: rows.filter((r) => r.withBot).length,
    bot_resolved: rows.filter((r) => r.outcome === 'bot_resolved').length,
    handed_off: rows.filter((r) => r.handedOff).length,
    answered: rows.filter((r) => r.outcome === 'answered').length,
    abandoned: rows.filter((r) => r.outcome === 'abandoned').length,
  };
}

export function channelMetricsOfSums(sums: readonly ChannelSums[]): ChannelMetrics {
  const withBot = sum(sums, (s) => s.with_bot);
  const botResolved = sum(sums, (s) => s.bot_resolved);
  const handedOff = sum(sums, (s) => s.handed_off);
  return {
    conversations: sum(sums, (s) => s.conversations),
    withBot,
    botResolved,
    botResolvedShare: share(botResolved, withBot),
    handedOff,
    handOffRate: share(handedOff, withBot),
    answered: sum(sums, (s) => s.answered),
    abandoned: sum(sums, (s) => s.abandoned),
  };
}

const channelMetricsOf = (rows: readonly ConversationRow[]): ChannelMetrics => channelMetricsOfSums([channelSumsOf(rows)]);

/** Per channel, for the range and each bucket, by when the conversation was opened. */
export function channelReportOf(rows: readonly ConversationRow[], buckets: readonly ReportBucket[]) {
  const groups = groupByBucket(rows, buckets, (r) => r.channelId ?? NO_CHANNEL, (r) => r.arrivedAt);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channelId, g]) => ({ channelId, total: channelMetricsOf(g.total), byBucket: g.byBucket.map(channelMetricsOf) }));
}

/** The additive parts of the CSAT figures (columns of report_agent_slots). */
export type CsatSums = Pick<AnalyticsTables['report_agent_slots'], 'ratings' | 'stars_sum' | 'stars_1' | 'stars_2' | 'stars_3' | 'stars_4' | 'stars_5'>;

export function csatSumsOf(ratings: readonly { stars: number }[]): CsatSums {
  const stars = [0, 0, 0, 0, 0];
  for (const r of ratings) stars[Math.min(5, Math.max(1, r.stars)) - 1]!++;
  return { ratings: ratings.length, stars_sum: sum(ratings, (r) => r.stars), stars_1: stars[0]!, stars_2: stars[1]!, stars_3: stars[2]!, stars_4: stars[3]!, stars_5: stars[4]! };
}

export function csatMetricsOfSums(sums: readonly CsatSums[]): CsatMetrics {
  const count = sum(sums, (s) => s.ratings);
  return {
    count,
    average: average(sum(sums, (s) => s.stars_sum), count),
    distribution: [sum(sums, (s) => s.stars_1), sum(sums, (s) => s.stars_2), sum(sums, (s) => s.stars_3), sum(sums, (s) => s.stars_4), sum(sums, (s) => s.stars_5)],
  };
}

const csatMetricsOf = (ratings: readonly { stars: number }[]): CsatMetrics => csatMetricsOfSums([csatSumsOf(ratings)]);

/** The CSAT distribution, for the range and each bucket, by when the rating was given. */
export function csatReportOf(ratings: readonly { stars: number; ratedAt: number }[], buckets: readonly ReportBucket[]) {
  const group = groupByBucket(ratings, buckets, () => 'all', (r) => r.ratedAt).get('all');
  return { total: csatMetricsOf(group?.total ?? []), byBucket: buckets.map((_, i) => csatMetricsOf(group?.byBucket[i] ?? [])) };
}
