import type { Conversation, Message } from '@frontdesk/protocol';
import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** The most messages a past conversation's transcript loads (pages of 500). */
const MAX_MESSAGES = 5000;

/** One conversation (open or ended) and its whole transcript, read once through the REST API. */
export function useTranscript(conversationId: string) {
  const client = useClient();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<readonly Message[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    setConversation(null);
    setMessages([]);
    setError(null);
    (async () => {
      const found = await client.api.get<Conversation>(`/v1/conversations/${encodeURIComponent(conversationId)}`);
      if (!isCurrent) return;
      setConversation(found);
      const all: Message[] = [];
      for (let afterSeq = 0; all.length < MAX_MESSAGES; ) {
        const page = await client.api.get<{ messages: Message[]; lastSeq: number }>(`/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { afterSeq: String(afterSeq), limit: '500' });
        all.push(...page.messages);
        if (page.messages.length === 0 || afterSeq >= page.lastSeq) break;
        afterSeq = page.messages.at(-1)!.seq;
        if (afterSeq >= page.lastSeq) break;
      }
      if (isCurrent) setMessages(all);
    })().catch((err: unknown) => isCurrent && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      isCurrent = false;
    };
  }, [client, conversationId]);

  return { conversation, messages, error };
}
