import type { Whisper } from '@frontdesk/protocol';
import type { ConversationView, Message } from '@frontdesk/sdk-agent';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { Button } from '../../../ui/index.ts';
import { MessageBubble, PendingBubble, type Delivery } from './MessageBubble.tsx';
import { WhisperBubble } from './WhisperBubble.tsx';
import { conversationStrings as cs } from '../locales/index.ts';

/** The conversation's messages (history, bot transcript, system notices) with supervisors' whispers among them, pending sends, typing. */
export function MessageList({
  view,
  agentName,
  whispers = [],
  deliveries,
}: {
  view: ConversationView;
  agentName: (agentId: string) => string;
  whispers?: readonly Whisper[];
  /** A messaging channel's delivery of each of our messages, by message id. */
  deliveries?: ReadonlyMap<string, Delivery> | undefined;
}) {
  const client = useClient();
  const listRef = useRef<HTMLDivElement>(null);
  const isPinnedToBottom = useRef(true);
  const [isLoadingHistory, setIsLoadingHistory] = useState(false);
  const ownAgentId = client.Agent.me()?.id ?? null;
  const sessionId = view.conversation.id;

  // Keep the newest message in sight unless the agent scrolled up to read.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && isPinnedToBottom.current) list.scrollTop = list.scrollHeight;
  }, [view.messages, view.pending, view.isVisitorTyping, view.visitorDraft, whispers]);
  useLayoutEffect(() => {
    isPinnedToBottom.current = true;
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [sessionId]);

  // A session the SDK holds only the end of (e.g. taken by hand: the messages before the claim)
  // shows its earlier messages at once when it is short; long ones keep the button.
  const hasFewMessages = !view.hasFullHistory && view.messages.length < 20;
  const hasAutoLoaded = useRef(false);
  useEffect(() => {
    if (!hasFewMessages || hasAutoLoaded.current) return;
    hasAutoLoaded.current = true;
    void client.Chat.loadHistory({ sessionId, limit: 50 });
  }, [client, sessionId, hasFewMessages]);

  async function loadEarlier() {
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    setIsLoadingHistory(true);
    await client.Chat.loadHistory({ sessionId, limit: 100 });
    setIsLoadingHistory(false);
    requestAnimationFrame(() => {
      if (list) list.scrollTop = list.scrollHeight - fromBottom;
    });
  }

  return (
    <div
      className="wb-messages"
      ref={listRef}
      onScroll={(event) => {
        const el = event.currentTarget;
        isPinnedToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
      aria-label={cs().messages}
      role="log"
      aria-live="polite"
    >
      {!view.hasFullHistory && (
        <div className="wb-messages__history">
          <Button size="sm" variant="ghost" onClick={() => void loadEarlier()} isBusy={isLoadingHistory}>{cs().loadEarlier}</Button>
        </div>
      )}
      <ol className="wb-messages__list" data-testid="messages">
        {withWhispers(view.messages, whispers).map((item) =>
          'seq' in item ? (
            <MessageBubble key={item.id} message={item} ownAgentId={ownAgentId} agentName={agentName} delivery={deliveries?.get(item.id)} />
          ) : (
            <WhisperBubble key={item.id} whisper={item} ownAgentId={ownAgentId} agentName={agentName} />
          ),
        )}
        {view.pending.map((entry) => (
          <PendingBubble
            key={entry.clientId}
            entry={entry}
            onRetry={() => void client.Chat.retry({ clientId: entry.clientId })}
            onDiscard={() => client.Chat.discard({ clientId: entry.clientId })}
          />
        ))}
      </ol>
      {view.isVisitorTyping && (
        <p className="wb-messages__typing" data-testid="visitor-typing">
          <span className="wb-typing-dots" aria-hidden="true"><i /><i /><i /></span> The visitor is typing…
        </p>
      )}
      {view.isVisitorTyping && view.visitorDraft && (
        // The visitor's text before it is sent (channels with typing preview): plain text, never a message.
        <p className="wb-messages__draft" data-testid="visitor-draft" dir="auto">{view.visitorDraft}</p>
      )}
    </div>
  );
}

/**
 * Whispers placed among the messages by time (after the messages of the same millisecond). Only
 * whispers from the first message shown on: older ones wait until their part of the history loads.
 */
function withWhispers(messages: readonly Message[], whispers: readonly Whisper[]): (Message | Whisper)[] {
  if (whispers.length === 0) return [...messages];
  const since = messages[0]?.createdAt ?? 0;
  const shown = whispers.filter((w) => w.createdAt >= since);
  return [...messages, ...shown].sort((a, b) => a.createdAt - b.createdAt || ('seq' in a ? 0 : 1) - ('seq' in b ? 0 : 1));
}
