import type { AgentEventMap, AgentEventName } from './types.ts';

/** Raises an event of the agent client (to this tab's listeners, and relayed to the other tabs by the leader). */
export type Emit = <E extends keyof AgentEventMap>(event: E, payload: AgentEventMap[E]) => void;

/** Event names, as in TCCC `tccc.events.ready`. */
export const EVENTS = {
  ready: 'ready',
  tokenExpired: 'tokenExpired',
  callIn: 'callIn',
  userAccessed: 'userAccessed',
  autoTransfer: 'autoTransfer',
  offerWithdrawn: 'offerWithdrawn',
  sessionEnded: 'sessionEnded',
  transfer: 'transfer',
  statusChanged: 'statusChanged',
  agentStatus: 'agentStatus',
  conversationUpdated: 'conversationUpdated',
  kickedOut: 'kickedOut',
  connectionStateChanged: 'connectionStateChanged',
  sessionsChanged: 'sessionsChanged',
  message: 'message',
  sessionUpdated: 'sessionUpdated',
  typing: 'typing',
  read: 'read',
  transparent: 'transparent',
  uiChanged: 'uiChanged',
  leaderChanged: 'leaderChanged',
} as const satisfies { [E in AgentEventName]: E };

/** Events about this tab only: never relayed to the other tabs. */
export const TAB_LOCAL_EVENTS: ReadonlySet<AgentEventName> = new Set<AgentEventName>(['ready', 'leaderChanged', 'uiChanged']);
