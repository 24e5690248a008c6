import type { AgentStatus, Conversation } from '@frontdesk/protocol';
import type { BadgeTone } from '../../../ui/index.ts';

/** 75_000 → "1:15"; 3_725_000 → "1:02:05". */
export function durationText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const STATUS_TONES: Record<AgentStatus, BadgeTone> = {
  offline: 'neutral',
  free: 'success',
  busy: 'danger',
  wrap_up: 'warning',
  not_ready: 'warning',
  rest: 'info',
};

/** Occupancy (M16): green below 50 %, amber below 80 %, red above. */
export function occupancyTone(percent: number): BadgeTone {
  return percent >= 80 ? 'danger' : percent >= 50 ? 'warning' : 'success';
}

export function shortId(id: string): string {
  return id.length > 10 ? `…${id.slice(-8)}` : id;
}

/**
 * Where a conversation stands, as the board shows it: one an agent took by hand (routing never ran,
 * `none`) is assigned to that agent like one routing gave them.
 */
export function boardState(conversation: Pick<Conversation, 'routingState' | 'agentId'>): Conversation['routingState'] {
  return conversation.routingState === 'none' && conversation.agentId !== null ? 'assigned' : conversation.routingState;
}
