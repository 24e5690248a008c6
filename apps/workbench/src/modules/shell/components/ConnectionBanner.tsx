import type { ConnectionState } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { shellStrings } from '../locales/index.ts';

/** Shown while the socket is down: messages sent meanwhile wait and go out on reconnect. */
export function ConnectionBanner() {
  const client = useClient();
  const [state, setState] = useState<ConnectionState>(client.connectionState);
  useClientEvent('connectionStateChanged', (event) => setState(event.state));
  if (state !== 'reconnecting' && state !== 'connecting') return null;
  return (
    <div className="wb-banner" role="status" data-testid="connection-banner">
      {shellStrings().reconnecting}
    </div>
  );
}
