import type { Queue } from '@frontdesk/protocol';
import type { Agent, AgentStatus, RoutingOverviewView } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

export interface AgentTarget {
  agent: Agent;
  status: AgentStatus;
}

/** While a dialog is open, how often its list of agents and their status is read again. */
const REFRESH_MS = 3000;

/**
 * Where a session may go: the app's queues and its other agents with their status now; the status
 * is read again every few seconds while the dialog is open (a colleague who signs in or frees up
 * appears).
 */
export function useTransferTargets(isOpen: boolean) {
  const client = useClient();
  const [queues, setQueues] = useState<Queue[]>([]);
  const [agents, setAgents] = useState<AgentTarget[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isOpen) return;
    let isCurrent = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const me = client.Agent.me()?.id;
    const overview = () => client.api.get<RoutingOverviewView>('/v1/routing/overview').catch(() => null);
    // The queues and the team once per opening; only their status again, every few seconds.
    const lists = Promise.all([client.api.get<{ queues: Queue[] }>('/v1/queues'), client.api.get<{ agents: Agent[] }>('/v1/agents')]);
    const load = (status: Promise<RoutingOverviewView | null>) =>
      Promise.all([lists, status])
        .then(
          ([[queueList, agentList], view]) => {
            if (!isCurrent) return;
            const statusOf = new Map(view?.agents.map((a) => [a.agentId, a.status]) ?? []);
            setError(null);
            setQueues(queueList.queues);
            setAgents(
              agentList.agents
                .filter((agent) => agent.id !== me && !agent.disabled)
                .map((agent) => ({ agent, status: statusOf.get(agent.id) ?? 'offline' }))
                .sort((a, b) => Number(b.status !== 'offline') - Number(a.status !== 'offline') || a.agent.name.localeCompare(b.agent.name)),
            );
          },
          (err: unknown) => isCurrent && setError(err instanceof Error ? err.message : 'could not load'),
        )
        .finally(() => {
          if (isCurrent) timer = setTimeout(() => void load(overview()), REFRESH_MS);
        });
    void load(overview());
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [client, isOpen]);

  return { queues, agents, error };
}
