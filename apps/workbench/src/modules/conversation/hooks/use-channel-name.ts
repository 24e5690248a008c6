import type { ChannelPublicView } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { clientCache } from '../../../app/client-cache.ts';
import { useClient } from '../../../app/client-context.tsx';

// A channel's name changes rarely: one request per channel for the life of the page.
const cached = clientCache<string>();

function loadChannelName(client: AgentClient, channelId: string): Promise<string | null> {
  // NOTE: the channel's public view (any principal of the app may read it); its settings are the admins'.
  return cached(client, channelId, () =>
    client.api.get<ChannelPublicView>(`/v1/channels/${encodeURIComponent(channelId)}/public`).then(
      (view) => view.name,
      () => null,
    ),
  );
}

/** The name an admin gave the conversation's channel ("Website", "Pricing page"); null until read, or when it cannot be. */
export function useChannelName(channelId: string | null): string | null {
  const client = useClient();
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    if (!channelId) return;
    let isCurrent = true;
    void loadChannelName(client, channelId).then((loaded) => isCurrent && setName(loaded));
    return () => {
      isCurrent = false;
    };
  }, [client, channelId]);
  return name;
}
