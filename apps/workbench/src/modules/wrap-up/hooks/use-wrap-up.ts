import type { WrapUp, WrapUpLabel } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** The app's labels and a session's wrap-up, read when the session opens; `save` records a new one. */
export function useWrapUp(sessionId: string) {
  const client = useClient();
  const [labels, setLabels] = useState<WrapUpLabel[]>([]);
  const [wrapUp, setWrapUp] = useState<WrapUp | null>(null);
  const [isLoaded, setIsLoaded] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    setIsLoaded(false);
    void Promise.all([client.Chat.getWrapUpLabels(), client.Chat.getWrapUp({ sessionId })]).then(([labelsResult, wrapUpResult]) => {
      if (!isCurrent) return;
      if (labelsResult.status === 'success') setLabels(labelsResult.data);
      setWrapUp(wrapUpResult.status === 'success' ? wrapUpResult.data : null);
      setIsLoaded(true);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, sessionId]);

  const save = useCallback(
    async (input: { dispositionId: string | null; tagIds: string[]; note: string }): Promise<string | null> => {
      const result = await client.Chat.setWrapUp({ sessionId, ...input });
      if (result.status === 'error') return result.errorMsg;
      setWrapUp(result.data);
      return null;
    },
    [client, sessionId],
  );

  return { labels, wrapUp, isLoaded, save };
}
