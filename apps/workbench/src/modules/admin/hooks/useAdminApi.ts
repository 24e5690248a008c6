import { createAdminApi, type AdminApi, type AgentClient } from '@frontdesk/sdk-agent';
import { useMemo } from 'react';

/** The typed supervisor and admin calls over the client's authenticated REST. */
export function useAdminApi(client: AgentClient): AdminApi {
  return useMemo(() => createAdminApi(client.api), [client]);
}
