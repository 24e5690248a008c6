/**
 * Easemob (seed 001, kefu agent `IMClient` v190307) shapes shared by the server and the agent SDK.
 * NOTE: this file imports nothing (not even zod), so the agent SDK bundles it through the
 * `@frontdesk/protocol/easemob` entry without pulling the rest of the protocol into browsers.
 *
 * An agent's Easemob base state code from its routing status and what it is doing in a call.
 *
 * The sub-codes (001001, 002005, 006013…) name call transitions and reach agents only through the
 * call engine's `notify` actions; a status alone always maps to a base code. In particular not-ready
 * (示忙) and rest (小休) are both 001000 busy: 001001 and 001002 are invite timeouts in the seed,
 * and the rest reason travels beside the code, not in it.
 */

/** Routing's agent statuses (packages/protocol `AGENT_STATUSES`). */
export type AgentStatusForCode = 'offline' | 'free' | 'busy' | 'wrap_up' | 'not_ready' | 'rest';

/** What the agent's live call leg is doing (`CallEngine.activityOf`), if it is in a call. */
export type AgentCallActivity = 'calling_out' | 'ringing' | 'two_party' | 'inviting' | 'three_party';

export type EasemobStateCode = '000000' | '001000' | '002000' | '003000' | '004000' | '005000' | '006000' | '007000' | '008000';

const OF_STATUS = {
  offline: '000000',
  busy: '001000',
  not_ready: '001000',
  rest: '001000',
  free: '002000',
  wrap_up: '005000',
} as const satisfies Record<AgentStatusForCode, EasemobStateCode>;

const OF_ACTIVITY = {
  calling_out: '003000',
  ringing: '004000',
  two_party: '006000',
  inviting: '007000',
  three_party: '008000',
} as const satisfies Record<AgentCallActivity, EasemobStateCode>;

/** A call in progress says more than the status (which is just 'busy' then); signed out is signed out. */
export function easemobStateOf(status: AgentStatusForCode, activity: AgentCallActivity | null = null): EasemobStateCode {
  if (status === 'offline' || activity === null) return OF_STATUS[status];
  return OF_ACTIVITY[activity];
}

/** What the session helpers read of an agent's routing state (protocol `AgentState.sessions`). */
export interface EasemobSessionSource {
  conversationId: string;
  queueId: string;
  state: 'offered' | 'assigned';
}

/**
 * `client.sessionCount({ success(data) })`: the seed reads `data.payload.sessionCount`, the sessions
 * the agent is in now (served, not merely ringing).
 */
export function easemobSessionCount(sessions: readonly EasemobSessionSource[]): { payload: { sessionCount: number } } {
  return { payload: { sessionCount: sessions.filter((s) => s.state === 'assigned').length } };
}

/**
 * `client.sessionState({ success(data) })`: the seed only logs `data`; we answer in the same
 * envelope as sessionCount (`payload`), with the count and each session in progress.
 */
export function easemobSessionState(sessions: readonly EasemobSessionSource[]): {
  payload: { sessionCount: number; sessions: { sessionId: string; queueId: string; state: 'offered' | 'assigned' }[] };
} {
  return {
    payload: {
      sessionCount: easemobSessionCount(sessions).payload.sessionCount,
      sessions: sessions.map((s) => ({ sessionId: s.conversationId, queueId: s.queueId, state: s.state })),
    },
  };
}
