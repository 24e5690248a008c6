import type { ConversationNote } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';

/** Internal notes of a session (staff only); reloaded when it is transferred to this agent. */
export function useNotes(sessionId: string) {
  const client = useClient();
  const [notes, setNotes] = useState<ConversationNote[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await client.Chat.getNotes({ sessionId });
    if (result.status === 'success') {
      setNotes(result.data);
      setError(null);
    } else setError(result.errorMsg);
  }, [client, sessionId]);

  useEffect(() => {
    setNotes([]);
    void load();
  }, [load]);
  useClientEvent('transfer', (event) => event.sessionId === sessionId && void load());

  const addNote = useCallback(
    async (text: string): Promise<boolean> => {
      const result = await client.Chat.addNote({ sessionId, text });
      if (result.status === 'error') {
        setError(result.errorMsg);
        return false;
      }
      setNotes((current) => [...current, result.data]);
      setError(null);
      return true;
    },
    [client, sessionId],
  );

  return { notes, error, addNote, reload: load };
}
