import type { Message } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { format } from '../../../app/locale.ts';
import { Button } from '../../../ui/index.ts';
import { systemText } from '../../inbox/state/preview.ts';
import { reportStrings } from '../locales/index.ts';
import type { ReportFormat } from '../state/report-format.ts';

const PAGE = 200;

/**
 * An ended conversation's transcript, read once (it no longer changes): what a drill-down opens.
 * Content is text, never markup. System notices show by their kind, not their code.
 */
export function TranscriptPanel({ api, conversationId, nameOf, fmt, onClose }: { api: AdminApi; conversationId: string; nameOf: (id: string | null) => string; fmt: ReportFormat; onClose: () => void }) {
  const t = reportStrings();
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
    <section className="fd-sup-monitor" data-testid="transcript" aria-label={format(t.transcriptOf, { id: conversationId })}>
      <header className="fd-sup-monitor__header">
        <h2>{t.transcript}</h2>
        <Button size="sm" onClick={onClose}>{t.close}</Button>
      </header>
      <p className="fd-rep-muted">{conversationId}</p>
      {error && <p role="alert" className="fd-rep-error">{error}</p>}
      <ol className="fd-sup-messages">
        {(messages ?? []).map((m) => (
          <li key={m.id} className={`fd-sup-message fd-sup-message--${m.senderType}`}>
            <span className="fd-sup-message__meta">
              {m.kind === 'system' ? '' : `${m.senderType === 'system' ? '' : t.senders[m.senderType]}${m.senderType === 'agent' && m.senderId ? ` · ${nameOf(m.senderId)}` : ''} · `}{fmt.clock(m.createdAt)}
            </span>
            <span className="fd-sup-message__text">{m.kind === 'file' || m.kind === 'image' ? format(t.fileOf, { kind: t.kinds[m.kind], name: m.file?.name ?? m.text }) : m.kind === 'system' ? systemText(m.text, m.senderId ? nameOf(m.senderId) : undefined) : m.text}</span>
          </li>
        ))}
        {messages && messages.length === 0 && <li className="fd-rep-muted">{t.noMessage}</li>}
      </ol>
    </section>
  );
}
