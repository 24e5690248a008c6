import type { Agent, Conversation } from '@frontdesk/protocol';
import type { RoutingOverviewView } from '@frontdesk/sdk-agent';
import { Badge, Button, Table, type BadgeTone } from '../../../ui/index.ts';
import { durationText, shortId } from '../state/format.ts';

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
  const queueName = (id: string | null) => (id ? overview?.queues.find((q) => q.queueId === id)?.name ?? shortId(id) : '—');
  const agentName = (id: string | null) => (id ? agents.find((a) => a.id === id)?.name ?? shortId(id) : '—');
  return (
    <Table
      caption="Live conversations"
      rows={conversations ?? []}
      rowKey={(c) => c.id}
      empty={conversations ? 'No open conversation.' : 'Loading…'}
      columns={[
        { key: 'id', header: 'Conversation', render: (c) => <code title={c.id}>{shortId(c.id)}</code> },
        { key: 'state', header: 'State', render: (c) => <Badge tone={STATE_TONES[c.routingState]}>{c.routingState === 'none' ? 'unrouted' : c.routingState}</Badge> },
        { key: 'queue', header: 'Queue', render: (c) => queueName(c.queueId) },
        { key: 'agent', header: 'Agent', render: (c) => agentName(c.agentId) },
        { key: 'age', header: 'Open for', align: 'end', render: (c) => durationText(now - c.createdAt) },
        { key: 'messages', header: 'Messages', align: 'end', render: (c) => c.lastSeq },
        {
          key: 'actions',
          header: <span className="fd-visually-hidden">Actions</span>,
          align: 'end',
          render: (c) => (
            <span className="fd-sup-inline">
              <Button size="sm" variant={monitoredId === c.id ? 'primary' : 'secondary'} onClick={() => onMonitor(c.id)} aria-label={`Monitor conversation ${c.id}`}>Monitor</Button>
              <Button size="sm" variant="danger" onClick={() => onEnd(c)} aria-label={`End conversation ${c.id}`}>End</Button>
            </span>
          ),
        },
      ]}
    />
  );
}
