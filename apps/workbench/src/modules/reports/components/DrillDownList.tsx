import type { ReportConversationList } from '@frontdesk/protocol';
import { format } from '../../../app/locale.ts';
import { Button, Table } from '../../../ui/index.ts';
import { reportStrings } from '../locales/index.ts';
import type { ReportFormat } from '../state/report-format.ts';

export interface DrillDownListProps {
  title: string;
  list: ReportConversationList | undefined;
  error: string | undefined;
  nameOf: (kind: 'queue' | 'agent', id: string | null) => string;
  fmt: ReportFormat;
  onOpen: (conversationId: string) => void;
  onClose: () => void;
}

/** The ended conversations behind a bar, newest first; each opens its transcript. */
export function DrillDownList({ title, list, error, nameOf, fmt, onOpen, onClose }: DrillDownListProps) {
  const t = reportStrings();
  return (
    <section className="fd-rep-drill" aria-label={t.drillLabel} data-testid="drill-down">
      <header>
        <h2>{title}</h2>
        <Button size="sm" onClick={onClose}>{t.close}</Button>
      </header>
      {error && <p role="alert" className="fd-rep-error">{error}</p>}
      <Table
        rows={list?.conversations ?? []}
        rowKey={(c) => c.conversationId}
        empty={list ? t.noEnded : t.loading}
        columns={[
          { key: 'id', header: t.colConversation, render: (c) => <Button size="sm" variant="ghost" data-testid="drill-conversation" aria-label={format(t.openConversation, { id: c.conversationId })} onClick={() => onOpen(c.conversationId)}>{c.conversationId}</Button> },
          { key: 'queue', header: t.colQueue, render: (c) => nameOf('queue', c.queueId) },
          { key: 'agent', header: t.colAgent, render: (c) => nameOf('agent', c.lastAgentId) },
          { key: 'opened', header: t.colOpened, render: (c) => fmt.dateTime(c.arrivedAt) },
          { key: 'outcome', header: t.colOutcome, render: (c) => t.outcomes[c.outcome] ?? c.outcome.replace('_', ' ') },
          { key: 'wait', header: t.colWait, align: 'end', render: (c) => fmt.seconds(c.waitMs) },
          { key: 'csat', header: t.colCsat, align: 'end', render: (c) => (c.stars === null ? '—' : format(t.stars, { n: fmt.count(c.stars) })) },
        ]}
      />
      {list?.hasMore && <p className="fd-rep-muted">{t.moreMatch}</p>}
    </section>
  );
}
