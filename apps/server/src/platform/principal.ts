import type { Role } from '@frontdesk/protocol';

/** Who is calling: resolved once per request or socket, then passed to every service call. */
export type Principal =
  /** `sessionId`: the agent session (login) the token belongs to; a newer login may replace it. */
  | { kind: 'agent'; appId: string; agentId: string; role: Role; sessionId?: string }
  | { kind: 'visitor'; appId: string; visitorId: string }
  /** A server-API key acts for its app with admin rights, but is not an agent. */
  | { kind: 'apiKey'; appId: string; keyId: string };

const RANK: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 };

export function hasRole(principal: Principal, role: Role): boolean {
  if (principal.kind === 'apiKey') return true;
  return principal.kind === 'agent' && RANK[principal.role] >= RANK[role];
}
