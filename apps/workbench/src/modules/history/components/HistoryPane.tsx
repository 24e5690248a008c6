import { useClient } from '../../../app/client-context.tsx';
import { visitorLabel } from '../../../app/format.ts';
import { Badge, Button } from '../../../ui/index.ts';
import { useAgentNames } from '../../conversation/hooks/use-agent-names.ts';
import { MessageBubble } from '../../conversation/components/MessageBubble.tsx';
import { VisitorPanel } from '../../conversation/components/VisitorPanel.tsx';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../../conversation/locales/index.ts';
import { useTranscript } from '../hooks/use-transcript.ts';
import { historyStrings } from '../locales/index.ts';

/** A conversation found in the history, open or ended, read-only: its transcript, and the visitor panel (details, rating, notes). */
export function HistoryPane({ conversationId, onLeave }: { conversationId: string; onLeave: () => void }) {
  const client = useClient();
  const agentName = useAgentNames();
  const { conversation, messages, error } = useTranscript(conversationId);
  const visitor = useVisitor(conversationId, conversation?.visitorId ?? null);
  const t = historyStrings();
  if (error) {
    return (
      <section className="wb-pane wb-pane--empty">
        <p role="alert">{format(t.openFailed, { error })}</p>
        <Button onClick={onLeave}>{t.back}</Button>
      </section>
    );
  }
  if (!conversation) return <section className="wb-pane wb-pane--empty"><p role="status">{t.loading}</p></section>;
  const ownAgentId = client.Agent.me()?.id ?? null;
  return (
    <section className="wb-pane" aria-labelledby="wb-history-title" data-testid="history-conversation" data-conversation-id={conversationId}>
      <div className="wb-pane__main">
        <header className="wb-pane__header">
          <Button size="sm" variant="ghost" className="wb-compact-only" onClick={onLeave} aria-label={t.backToList}>←</Button>
          <div className="wb-pane__title">
            <h2 id="wb-history-title">{visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name)}</h2>
            <p className="wb-pane__sub">
              {conversation.status === 'closed' ? <Badge>{cs().ended}</Badge> : <Badge tone="info">{t.open}</Badge>}
              {conversation.agentId && <span>{format(cs().withAgent, { name: agentName(conversation.agentId) })}</span>}
            </p>
          </div>
        </header>
        <div className="wb-messages" data-testid="transcript">
          <ol className="wb-messages__list">
            {messages.map((message) => (
              <MessageBubble key={message.seq} message={message} ownAgentId={ownAgentId} agentName={agentName} />
            ))}
          </ol>
        </div>
      </div>
      <VisitorPanel conversation={conversation} authorName={(id) => (id ? agentName(id) : 'API')} />
    </section>
  );
}
