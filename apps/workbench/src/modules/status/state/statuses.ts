import type { AgentStatus } from '@frontdesk/sdk-agent';

/** Reasons an agent picks when taking a rest (小休). */
export const REST_REASONS = ['Break', 'Lunch', 'Meeting', 'Training', 'Coaching'] as const;

export const STATUS_LABELS: Record<AgentStatus, string> = {
  free: 'Available',
  busy: 'Busy',
  wrap_up: 'Wrap-up',
  not_ready: 'Not ready',
  rest: 'On rest',
  offline: 'Offline',
};

export const STATUS_TONES: Record<AgentStatus, 'success' | 'danger' | 'warning' | 'neutral' | 'info'> = {
  free: 'success',
  busy: 'danger',
  wrap_up: 'info',
  not_ready: 'warning',
  rest: 'warning',
  offline: 'neutral',
};

/** The statuses an agent sets; busy and wrap-up are set by routing. `rest:<reason>` carries the reason. */
export type StatusChoice = 'free' | 'not_ready' | 'offline' | `rest:${string}`;

export function choiceOf(status: AgentStatus, reason: string | null): StatusChoice | '' {
  if (status === 'rest') return `rest:${reason ?? REST_REASONS[0]}`;
  if (status === 'free' || status === 'not_ready' || status === 'offline') return status;
  return '';
}
