import type { Message } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { Button } from '../../../ui/index.ts';
import { systemText } from '../../inbox/state/preview.ts';

const PAGE = 200;
const SENDERS: Record<Message['senderType'], string> = { visitor: 'Visitor', agent: 'Agent', bot: 'Bot', system: '' };

/**
 * An ended conversation's transcript, read once (it no longer changes): what a drill-down opens.
 * Content is text, never markup. System notices show by their kind, not their code.
 */
export function TranscriptPanel({ api, conversationId, nameOf, onClose }: { api: AdminApi; conversationId: string; nameOf: (id: string | null) => string; onClose: () => void }) {
  const [messages, setMessages] = useState<Message[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let alive = true;
    (async () => {
      const all: Message[] = [];
      // NOTE: a long chat has several pages; ten pages is more than anyone reads in a panel.
      for (let after = 0, pages = 0; pages < 10; pages++) {
        const page = await api.conversations.messages(conversationId, after, PAGE);
        all.push(...page.messages);
        if (page.messages.length < PAGE) break;
        after = page.messages.at(-1)!.seq;
      }
      if (alive) setMessages(all);
    })().catch((err: unknown) => alive && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      alive = false;
    };
  }, [api, conversationId]);
  return (
    <section className="fd-sup-monitor" data-testid="transcript" aria-label={`Transcript of ${conversationId}`}>
      <header className="fd-sup-monitor__header">
        <h2>Transcript</h2>
        <Button size="sm" onClick={onClose}>Close</Button>
      </header>
      <p className="fd-rep-muted">{conversationId}</p>
      {error && <p role="alert" className="fd-rep-error">{error}</p>}
      <ol className="fd-sup-messages">
        {(messages ?? []).map((m) => (
          <li key={m.id} className={`fd-sup-message fd-sup-message--${m.senderType}`}>
            <span className="fd-sup-message__meta">
              {m.kind === 'system' ? '' : `${SENDERS[m.senderType]}${m.senderType === 'agent' && m.senderId ? ` · ${nameOf(m.senderId)}` : ''} · `}{new Date(m.createdAt).toLocaleTimeString()}
            </span>
            <span className="fd-sup-message__text">{m.kind === 'file' || m.kind === 'image' ? `[${m.kind}: ${m.file?.name ?? m.text}]` : m.kind === 'system' ? systemText(m.text) : m.text}</span>
          </li>
        ))}
        {messages && messages.length === 0 && <li className="fd-rep-muted">No message.</li>}
      </ol>
    </section>
  );
}
