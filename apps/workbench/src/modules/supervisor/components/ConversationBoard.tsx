import type { Agent, Conversation } from '@frontdesk/protocol';
import type { RoutingOverviewView } from '@frontdesk/sdk-agent';
import { Badge, Button, Table, type BadgeTone } from '../../../ui/index.ts';
import { format } from '../../../app/locale.ts';
import { VisitorName } from '../../visitor/components/VisitorName.tsx';
import { supervisionStrings } from '../locales/index.ts';
import { boardState, durationText, shortId } from '../state/format.ts';

const STATE_TONES: Record<Conversation['routingState'], BadgeTone> = {
  none: 'neutral',
  bot: 'info',
  queued: 'warning',
  offered: 'warning',
  assigned: 'success',
  released: 'neutral',
  ended: 'neutral',
};

export interface ConversationBoardProps {
  conversations: readonly Conversation[] | undefined;
  overview: RoutingOverviewView | undefined;
  agents: readonly Agent[];
  monitoredId: string | undefined;
  now: number;
  onMonitor: (conversationId: string) => void;
  onEnd: (conversation: Conversation) => void;
}

/** Open conversations of the app: state, queue, agent, age; monitor or end one. */
export function ConversationBoard({ conversations, overview, agents, monitoredId, now, onMonitor, onEnd }: ConversationBoardProps) {
  const s = supervisionStrings().board;
  const queueName = (id: string | null) => (id ? overview?.queues.find((q) => q.queueId === id)?.name ?? shortId(id) : '—');
  const agentName = (id: string | null) => (id ? agents.find((a) => a.id === id)?.name ?? shortId(id) : '—');
  const stateBadge = (state: Conversation['routingState']) => <Badge tone={STATE_TONES[state]}>{s.routingStates[state]}</Badge>;
  return (
    <Table
      caption={s.conversations}
      rows={conversations ?? []}
      rowKey={(c) => c.id}
      empty={conversations ? s.noConversation : s.loading}
      columns={[
        { key: 'id', header: s.colConversation, render: (c) => <code title={c.id}>{shortId(c.id)}</code> },
        { key: 'visitor', header: s.colVisitor, render: (c) => <VisitorName sessionId={c.id} visitorId={c.visitorId} formName={c.visitorDetails?.name} /> },
        { key: 'state', header: s.colState, render: (c) => stateBadge(boardState(c)) },
        { key: 'queue', header: s.colQueue, render: (c) => queueName(c.queueId) },
        { key: 'agent', header: s.colAgent, render: (c) => agentName(c.agentId) },
        { key: 'age', header: s.colOpenFor, align: 'end', render: (c) => durationText(now - c.createdAt) },
        { key: 'messages', header: s.colMessages, align: 'end', render: (c) => c.lastSeq },
        {
          key: 'actions',
          header: <span className="fd-visually-hidden">{s.actions}</span>,
          align: 'end',
          render: (c) => (
            <span className="fd-sup-inline">
              <Button size="sm" variant={monitoredId === c.id ? 'primary' : 'secondary'} onClick={() => onMonitor(c.id)} aria-label={format(s.monitorConversation, { id: c.id })}>{s.monitor}</Button>
              <Button size="sm" variant="danger" onClick={() => onEnd(c)} aria-label={format(s.endConversationOf, { id: c.id })}>{s.end}</Button>
            </span>
          ),
        },
      ]}
    />
  );
}
