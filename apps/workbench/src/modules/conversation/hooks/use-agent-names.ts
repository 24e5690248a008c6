import type { Agent } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** Names of the app's agents (for notes and "with …"), loaded once. */
export function useAgentNames(): (agentId: string) => string {
  const client = useClient();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let isCurrent = true;
    client.api
      .get<{ agents: Agent[] }>('/v1/agents')
      .then(({ agents }) => isCurrent && setNames(new Map(agents.map((a) => [a.id, a.name || a.email]))))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [client]);
  const me = client.Agent.me();
  return useCallback((agentId: string) => (agentId === me?.id ? 'You' : names.get(agentId) ?? 'Another agent'), [names, me?.id]);
}
