import type { AgentStatus, AgentStatusInfo, SettableStatus } from './types.ts';

/** Easemob state codes (SPEC M18) for our statuses: 000000 not signed in, 001xxx busy, 002xxx idle, 005xxx after-call. */
export const EASEMOB_CODE_OF_STATUS = {
  offline: '000000',
  busy: '001000',
  not_ready: '001001',
  rest: '001002',
  free: '002000',
  wrap_up: '005000',
} as const satisfies Record<AgentStatus, string>;

/** TCCC setStatus values onto ours (`notReady` = 示忙, `stopNotReady` = back to free). */
export function toServerStatus(status: SettableStatus): 'offline' | 'free' | 'not_ready' | 'rest' {
  switch (status) {
    case 'notReady':
      return 'not_ready';
    case 'stopNotReady':
      return 'free';
    default:
      return status;
  }
}

export function statusInfo(status: AgentStatus, reason: string | null, at: number): AgentStatusInfo {
  return { status, reason, easemobCode: EASEMOB_CODE_OF_STATUS[status], at };
}
