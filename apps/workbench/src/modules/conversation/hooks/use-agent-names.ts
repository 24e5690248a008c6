import type { Agent } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { conversationStrings as cs } from '../locales/index.ts';

/** The app's agents' names by id (name, else email), loaded once; empty until then or when not readable. */
export function useAgentDirectory(): ReadonlyMap<string, string> {
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
  return names;
}

/** Names of the app's agents (for notes and "with …"), loaded once. */
export function useAgentNames(): (agentId: string) => string {
  const client = useClient();
  const names = useAgentDirectory();
  const me = client.Agent.me();
  return useCallback((agentId: string) => (agentId === me?.id ? cs().you : names.get(agentId) ?? cs().anotherAgent), [names, me?.id]);
}
