import type { AgentStatus } from '@frontdesk/sdk-agent';

/** English strings of the agent's status. */
export const en = {
  statuses: {
    free: 'Available',
    busy: 'Busy',
    wrap_up: 'Wrap-up',
    not_ready: 'Not ready',
    rest: 'On rest',
    offline: 'Offline',
  } as Record<AgentStatus, string>,
  restReasons: { Break: 'Break', Lunch: 'Lunch', Meeting: 'Meeting', Training: 'Training', Coaching: 'Coaching' } as Record<string, string>,
  rest: 'Rest',
  restWith: 'Rest · {reason}',
  setStatus: 'Set status',
  timeLeft: '{time} left',
  finishWrapUp: 'Finish wrap-up',
  couldNotChange: 'Could not change status: {error}',
};
export type StatusStrings = typeof en;
