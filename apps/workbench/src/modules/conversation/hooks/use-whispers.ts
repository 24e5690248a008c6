import type { Whisper } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/**
 * What supervisors whispered in a conversation (SPEC M28): read once when it opens, then live
 * from the client's `whisper` events. Only staff get them; the visitor never does.
 */
export function useWhispers(sessionId: string): readonly Whisper[] {
  const client = useClient();
  const [whispers, setWhispers] = useState<readonly Whisper[]>([]);
  useEffect(() => {
    let isCurrent = true;
    setWhispers([]);
    const add = (incoming: readonly Whisper[]) =>
      setWhispers((known) => {
        const ids = new Set(known.map((w) => w.id));
        const fresh = incoming.filter((w) => !ids.has(w.id));
        return fresh.length === 0 ? known : [...known, ...fresh].sort((a, b) => a.createdAt - b.createdAt);
      });
    const off = client.on('whisper', ({ sessionId: id, whisper }) => {
      if (id === sessionId) add([whisper]);
    });
    void client.Chat.getWhispers({ sessionId }).then((result) => {
      if (isCurrent && result.status === 'success') add(result.data);
    });
    return () => {
      isCurrent = false;
      off();
    };
  }, [client, sessionId]);
  return whispers;
}
