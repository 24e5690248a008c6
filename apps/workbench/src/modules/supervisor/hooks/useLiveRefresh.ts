import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` when the client reports something that moves the board: any agent's status
 * (supervisors get every `agent.status`), a conversation change (every routed conversation of
 * the app), a change of this agent's sessions, a reconnect. The board also polls, for what no
 * frame announces (a visitor joining a queue before any agent is offered it).
 */
export function useLiveRefresh(client: AgentClient, refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    // NOTE: a burst of events (a queue draining) becomes one refresh, at most every 300 ms.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poke = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        latest.current();
      }, 300);
    };
    const offs = [
      client.on('agentStatus', poke),
      client.on('conversationUpdated', poke),
      client.on('statusChanged', poke),
      client.on('sessionsChanged', poke),
      client.on('sessionEnded', poke),
      client.on('connectionStateChanged', ({ state }) => {
        if (state === 'connected') poke();
      }),
    ];
    return () => {
      for (const off of offs) off();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
}
