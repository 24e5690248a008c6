import type { ReportConversationList } from '@frontdesk/protocol';
import { Button, Table } from '../../../ui/index.ts';
import { secondsText } from '../state/report-format.ts';

export interface DrillDownListProps {
  title: string;
  list: ReportConversationList | undefined;
  error: string | undefined;
  nameOf: (kind: 'queue' | 'agent', id: string | null) => string;
  onOpen: (conversationId: string) => void;
  onClose: () => void;
}

/** The ended conversations behind a bar, newest first; each opens its transcript. */
export function DrillDownList({ title, list, error, nameOf, onOpen, onClose }: DrillDownListProps) {
  return (
    <section className="fd-rep-drill" aria-label="Conversations behind the bar" data-testid="drill-down">
      <header>
        <h2>{title}</h2>
        <Button size="sm" onClick={onClose}>Close</Button>
      </header>
      {error && <p role="alert" className="fd-rep-error">{error}</p>}
      <Table
        rows={list?.conversations ?? []}
        rowKey={(c) => c.conversationId}
        empty={list ? 'No ended conversation here.' : 'Loading…'}
        columns={[
          { key: 'id', header: 'Conversation', render: (c) => <Button size="sm" variant="ghost" data-testid="drill-conversation" aria-label={`Open conversation ${c.conversationId}`} onClick={() => onOpen(c.conversationId)}>{c.conversationId}</Button> },
          { key: 'queue', header: 'Queue', render: (c) => nameOf('queue', c.queueId) },
          { key: 'agent', header: 'Agent', render: (c) => nameOf('agent', c.lastAgentId) },
          { key: 'opened', header: 'Opened', render: (c) => new Date(c.arrivedAt).toLocaleString() },
          { key: 'outcome', header: 'Outcome', render: (c) => c.outcome.replace('_', ' ') },
          { key: 'wait', header: 'Wait', align: 'end', render: (c) => secondsText(c.waitMs) },
          { key: 'csat', header: 'CSAT', align: 'end', render: (c) => (c.stars === null ? '—' : `${c.stars} ★`) },
        ]}
      />
      {list?.hasMore && <p className="fd-rep-muted">More conversations match: narrow the range to see them all.</p>}
    </section>
  );
}
