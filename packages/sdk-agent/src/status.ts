import { easemobStateOf, type EasemobStateCode } from '@frontdesk/protocol/easemob';
import type { AgentStatus, AgentStatusInfo, SettableStatus } from './types.ts';

/**
 * Easemob base state codes (SPEC M18, seed 001 v190307) for our statuses, from the protocol's one
 * mapping: 000000 not signed in, 001000 busy (also not-ready and rest: 001001/001002 are the seed's
 * invite timeouts, the rest reason travels beside the code), 002000 idle, 005000 after-call.
 */
export const EASEMOB_CODE_OF_STATUS: Readonly<Record<AgentStatus, EasemobStateCode>> = Object.freeze({
  offline: easemobStateOf('offline'),
  busy: easemobStateOf('busy'),
  not_ready: easemobStateOf('not_ready'),
  rest: easemobStateOf('rest'),
  free: easemobStateOf('free'),
  wrap_up: easemobStateOf('wrap_up'),
});

/** TCCC setStatus values onto ours (`notReady` = 示忙, `stopNotReady` = back to free, `arrange` = 话后整理). */
export function toServerStatus(status: SettableStatus): 'offline' | 'free' | 'not_ready' | 'rest' | 'wrap_up' {
  switch (status) {
    case 'notReady':
      return 'not_ready';
    case 'stopNotReady':
      return 'free';
    case 'arrange':
      return 'wrap_up';
    default:
      return status;
  }
}

export function statusInfo(status: AgentStatus, reason: string | null, at: number): AgentStatusInfo {
  return { status, reason, easemobCode: EASEMOB_CODE_OF_STATUS[status], at };
}
