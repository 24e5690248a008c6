import type { AgentStatusInfo } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

/** The agent's status, as the SDK last knew it, updated on every change. */
export function useAgentStatus(): AgentStatusInfo {
  const client = useClient();
  const [status, setStatus] = useState(() => client.Agent.getStatus());
  useClientEvent('statusChanged', ({ from: _from, ...info }) => setStatus(info));
  return status;
}
