import type { AgentCore } from '../agent-core.ts';
import type { AgentNamespace, AgentStatusInfo } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

/** TCCC `tccc.Agent`: the agent's status (`free` on the wire) and who is signed in. */
export function createAgentNamespace({ invoke, local, snapshot }: NamespaceContext, core: AgentCore): AgentNamespace {
  return {
    online: () => invoke<AgentStatusInfo>('Agent.setStatus', 'free'),
    offline: () => invoke<AgentStatusInfo>('Agent.setStatus', 'offline'),
    setStatus: ({ status, restReason }) => invoke<AgentStatusInfo>('Agent.setStatus', status, restReason),
    getStatus: () => snapshot().status,
    getState: () => local(() => core.status.getState()),
    me: () => snapshot().agent,
  };
}
