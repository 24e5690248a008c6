import type { CannedResponse } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** The app's canned responses (cached by the SDK); `reload()` fetches them again. */
export function useCannedResponses(): { responses: CannedResponse[]; reload: () => void } {
  const client = useClient();
  const [responses, setResponses] = useState<CannedResponse[]>([]);
  const load = useCallback(
    (refresh: boolean) => {
      void client.Chat.getCannedResponses({ refresh }).then((result) => {
        if (result.status === 'success') setResponses(result.data);
      });
    },
    [client],
  );
  useEffect(() => load(false), [load]);
  return { responses, reload: () => load(true) };
}
