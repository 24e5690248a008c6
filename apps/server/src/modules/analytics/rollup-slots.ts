import type { Database } from '../../platform/storage/schema.ts';
import { NO_CHANNEL } from './channel-metrics.ts';

/**
 * The pure part of roll-ups: the read model's rows of one 15-minute slot in, the slot's additive
 * figures out. Every zone's offset is a whole number of quarter hours, so a local hour, day or week
 * is a whole number of UTC slots and a report over such bounds can add slots instead of rows.
 */

export const SLOT_MS = 900_000;

/** The start of the UTC quarter hour holding `atMs`. */
export const slotOf = (atMs: number): number => Math.floor(atMs / SLOT_MS) * SLOT_MS;

/** The agent key of ratings of conversations no agent held (the CSAT report still counts them). */
export const NO_AGENT = '';

export type QueueSlotRow = Database['report_queue_slots'];
export type AgentSlotRow = Database['report_agent_slots'];
export type ChannelSlotRow = Database['report_channel_slots'];

export interface SlotVisit {
  outcome: string;
  waitMs: number;
  transferred: boolean;
  handleMs: number | null;
}

export const encodeWaits = (waits: readonly number[]): string => [...waits].sort((a, b) => a - b).join(',');
export const decodeWaits = (text: string): number[] => (text === '' ? [] : text.split(',').map(Number));

/** A queue's slot from the visits that entered it in the slot; null when there are none. */
export function queueSlotOf(appId: string, queueId: string, slotAt: number, visits: readonly SlotVisit[]): QueueSlotRow | null {
  if (visits.length === 0) return null;
  const answered = visits.filter((v) => v.outcome === 'answered');
  const handled = answered.filter((v) => v.handleMs !== null);
  return {
    app_id: appId,
    slot_at: slotAt,
    queue_id: queueId,
    offered: visits.length,
    answered: answered.length,
    abandoned: visits.filter((v) => v.outcome === 'abandoned').length,
    released: visits.filter((v) => v.outcome === 'released').length,
    overflowed: visits.filter((v) => v.outcome === 'overflowed').length,
    transferred: visits.filter((v) => v.transferred).length,
    answered_wait_ms: answered.reduce((s, v) => s + v.waitMs, 0),
    handled: handled.length,
    handle_ms: handled.reduce((s, v) => s + v.handleMs!, 0),
    longest_wait_ms: visits.reduce((m, v) => Math.max(m, v.waitMs), 0),
    answered_waits: encodeWaits(answered.map((v) => v.waitMs)),
  };
}

export interface SlotAgentRows {
  assignments: readonly { handleMs: number; firstResponseMs: number | null; responses: number; responseTotalMs: number }[];
  offers: readonly { outcome: string }[];
  ratings: readonly { stars: number }[];
  calls: readonly { acceptedAt: number | null }[];
}

/** An agent's slot from its assignments, offers, ratings and calls of the slot (each by its own time); null when there are none. */
export function agentSlotOf(appId: string, agentId: string, slotAt: number, rows: SlotAgentRows): AgentSlotRow | null {
  const { assignments, offers, ratings, calls } = rows;
  if (assignments.length + offers.length + ratings.length + calls.length === 0) return null;
  const firstResponses = assignments.filter((a) => a.firstResponseMs !== null);
  const stars = [0, 0, 0, 0, 0];
  for (const r of ratings) stars[Math.min(5, Math.max(1, r.stars)) - 1]!++;
  return {
    app_id: appId,
    slot_at: slotAt,
    agent_id: agentId,
    assignments: assignments.length,
    handle_ms: assignments.reduce((s, a) => s + a.handleMs, 0),
    first_responses: firstResponses.length,
    first_response_ms: firstResponses.reduce((s, a) => s + a.firstResponseMs!, 0),
    responses: assignments.reduce((s, a) => s + a.responses, 0),
    response_ms: assignments.reduce((s, a) => s + a.responseTotalMs, 0),
    offers: offers.length,
    missed_offers: offers.filter((o) => o.outcome === 'missed').length,
    declined_offers: offers.filter((o) => o.outcome === 'declined').length,
    calls: calls.length,
    calls_handled: calls.filter((c) => c.acceptedAt !== null).length,
    ratings: ratings.length,
    stars_sum: ratings.reduce((s, r) => s + r.stars, 0),
    stars_1: stars[0]!,
    stars_2: stars[1]!,
    stars_3: stars[2]!,
    stars_4: stars[3]!,
    stars_5: stars[4]!,
  };
}

export interface SlotConversation {
  outcome: string;
  withBot: boolean;
  handedOff: boolean;
}

/** A channel's slot from the conversations opened through it in the slot; null when there are none. */
export function channelSlotOf(appId: string, channelId: string, slotAt: number, conversations: readonly SlotConversation[]): ChannelSlotRow | null {
  if (conversations.length === 0) return null;
  return {
    app_id: appId,
    slot_at: slotAt,
    channel_id: channelId,
    conversations: conversations.length,
    with_bot: conversations.filter((c) => c.withBot).length,
    bot_resolved: conversations.filter((c) => c.outcome === 'bot_resolved').length,
    handed_off: conversations.filter((c) => c.handedOff).length,
    answered: conversations.filter((c) => c.outcome === 'answered').length,
    abandoned: conversations.filter((c) => c.outcome === 'abandoned').length,
  };
}

export const channelKeyOf = (channelId: string | null): string => channelId ?? NO_CHANNEL;
export const agentKeyOf = (agentId: string | null): string => agentId ?? NO_AGENT;

/** The slots a conversation's rows touch, as `key@slotAt` strings per roll-up (the ones to rewrite). */
export interface SlotKeys {
  queues: Set<string>;
  agents: Set<string>;
  channels: Set<string>;
}

export const emptySlotKeys = (): SlotKeys => ({ queues: new Set(), agents: new Set(), channels: new Set() });
export const slotKey = (key: string, atMs: number): string => `${slotOf(atMs)}@${key}`;
export function parseSlotKey(text: string): { slotAt: number; key: string } {
  const at = text.indexOf('@');
  return { slotAt: Number(text.slice(0, at)), key: text.slice(at + 1) };
}
