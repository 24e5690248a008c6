import type { Database } from '../../platform/storage/schema.ts';
import { agentSumsOf, type AgentCounted } from './agent-metrics.ts';
import { channelSumsOf, NO_CHANNEL } from './channel-metrics.ts';
import { queueSumsOf } from './queue-metrics.ts';

/**
 * The pure part of roll-ups: the read model's rows of one 15-minute slot in, the slot's additive
 * figures out (the sums of *-metrics.ts, keyed by app, slot and queue, agent or channel). Every
 * zone's offset is a whole number of quarter hours, so a local hour, day or week is a whole number
 * of UTC slots and a report over such bounds can add slots instead of rows.
 */

export const SLOT_MS = 900_000;

/** The start of the UTC quarter hour holding `atMs`. */
export const slotOf = (atMs: number): number => Math.floor(atMs / SLOT_MS) * SLOT_MS;

/** The agent key of ratings of conversations no agent held (the CSAT report still counts them). */
export const NO_AGENT = '';

export type QueueSlotRow = Database['report_queue_slots'];
export type AgentSlotRow = Database['report_agent_slots'];
export type ChannelSlotRow = Database['report_channel_slots'];

/** A queue's slot from the visits that entered it in the slot; null when there are none. */
export function queueSlotOf(appId: string, queueId: string, slotAt: number, visits: Parameters<typeof queueSumsOf>[0]): QueueSlotRow | null {
  return visits.length === 0 ? null : { app_id: appId, slot_at: slotAt, queue_id: queueId, ...queueSumsOf(visits) };
}

/** An agent's slot from its assignments, offers, ratings and calls of the slot (each by its own time); null when there are none. */
export function agentSlotOf(appId: string, agentId: string, slotAt: number, rows: AgentCounted): AgentSlotRow | null {
  const { assignments, offers, ratings, calls } = rows;
  if (assignments.length + offers.length + ratings.length + calls.length === 0) return null;
  return { app_id: appId, slot_at: slotAt, agent_id: agentId, ...agentSumsOf(rows) };
}

/** A channel's slot from the conversations opened through it in the slot; null when there are none. */
export function channelSlotOf(appId: string, channelId: string, slotAt: number, conversations: Parameters<typeof channelSumsOf>[0]): ChannelSlotRow | null {
  return conversations.length === 0 ? null : { app_id: appId, slot_at: slotAt, channel_id: channelId, ...channelSumsOf(conversations) };
}

export const channelKeyOf = (channelId: string | null): string => channelId ?? NO_CHANNEL;
export const agentKeyOf = (agentId: string | null): string => agentId ?? NO_AGENT;

/**
 * The slots a conversation's rows touch, as `key@slotAt` strings per roll-up (the ones to rewrite).
 * The agent hours to rewrite are those of `agents` and `agentHours` (every hour an assignment holds
 * its agent in, `agent@hourAt`).
 */
export interface SlotKeys {
  queues: Set<string>;
  agents: Set<string>;
  channels: Set<string>;
  agentHours: Set<string>;
}

export const emptySlotKeys = (): SlotKeys => ({ queues: new Set(), agents: new Set(), channels: new Set(), agentHours: new Set() });
export const slotKey = (key: string, atMs: number): string => `${slotOf(atMs)}@${key}`;
export function parseSlotKey(text: string): { slotAt: number; key: string } {
  const at = text.indexOf('@');
  return { slotAt: Number(text.slice(0, at)), key: text.slice(at + 1) };
}
