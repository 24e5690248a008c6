/** What the identity module announces. */
export interface IdentityEvents {
  /** A newer login of the agent replaced these sessions (SPEC M6, TCCC kickedOut): their sockets close, on every node. */
  'agent.logins-replaced': { appId: string; agentId: string; sessionIds: string[] };
}
