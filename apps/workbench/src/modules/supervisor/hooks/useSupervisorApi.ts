import { createAdminApi, type AdminApi, type AgentClient } from '@frontdesk/sdk-agent';
import { useMemo } from 'react';

/** The typed supervisor calls over the client's authenticated REST. */
export function useSupervisorApi(client: AgentClient): AdminApi {
  return useMemo(() => createAdminApi(client.api), [client]);
}
