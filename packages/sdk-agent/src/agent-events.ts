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
  rated: 'rated',
  delivery: 'delivery',
  transparent: 'transparent',
  whisper: 'whisper',
  supervision: 'supervision',
  cobrowse: 'cobrowse',
  cobrowseData: 'cobrowseData',
  cobrowseInput: 'cobrowseInput',
  wallboard: 'wallboard',
  uiChanged: 'uiChanged',
  leaderChanged: 'leaderChanged',
  callOuted: 'callOuted',
  calloutAccepted: 'calloutAccepted',
  callUpdated: 'callUpdated',
  callNotice: 'callNotice',
  callSupervision: 'callSupervision',
  remoteStream: 'remoteStream',
  localStream: 'localStream',
  callError: 'callError',
  callPhoto: 'callPhoto',
  screenShare: 'screenShare',
  remoteScreen: 'remoteScreen',
  localScreen: 'localScreen',
} as const satisfies { [E in AgentEventName]: E };

/**
 * Events about this tab only: never relayed to the other tabs. A call's streams live in the tab
 * holding the connection (a MediaStream cannot be posted to another tab).
 */
export const TAB_LOCAL_EVENTS: ReadonlySet<AgentEventName> = new Set<AgentEventName>(['ready', 'leaderChanged', 'uiChanged', 'remoteStream', 'localStream', 'remoteScreen', 'localScreen']);
