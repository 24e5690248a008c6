import type { AgentCore } from '../agent-core.ts';
import type { RestClient } from '../rest.ts';
import type { AgentNamespace, AgentStatusInfo } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

/** TCCC `tccc.Agent`: the agent's status (`free` on the wire) and who is signed in. */
export function createAgentNamespace({ invoke, local, snapshot }: NamespaceContext, core: AgentCore, rest: RestClient): AgentNamespace {
  const avatarPath = (agentId: string | undefined) => `/v1/agents/${encodeURIComponent(agentId ?? snapshot().agent?.id ?? '')}/avatar`;
  const avatarUrlOf = (reply: { avatarUrl: string | null }) => (reply.avatarUrl ? rest.baseUrl + reply.avatarUrl : null);
  return {
    online: () => invoke<AgentStatusInfo>('Agent.setStatus', 'free'),
    offline: () => invoke<AgentStatusInfo>('Agent.setStatus', 'offline'),
    setStatus: ({ status, restReason }) => invoke<AgentStatusInfo>('Agent.setStatus', status, restReason),
    getStatus: () => snapshot().status,
    getState: () => local(() => core.status.getState()),
    me: () => snapshot().agent,
    getAvatar: (options = {}) => local(async () => avatarUrlOf(await rest.get<{ avatarUrl: string | null }>(avatarPath(options.agentId)))),
    setAvatar: ({ image, agentId }) => local(async () => avatarUrlOf(await rest.upload<{ avatarUrl: string | null }>(avatarPath(agentId), image, {}, image.type || 'application/octet-stream', 'PUT'))),
    removeAvatar: (options = {}) => local(async () => avatarUrlOf(await rest.delete<{ avatarUrl: string | null }>(avatarPath(options.agentId)))),
  };
}
