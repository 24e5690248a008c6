import type { Agent, AgentState } from '@frontdesk/protocol';
import { Badge, Button, Icon, Table } from '../../../ui/index.ts';
import { callStrings } from '../../calls/locales/index.ts';
import { STATUS_LABELS, STATUS_TONES, shortId } from '../state/format.ts';

export interface AgentBoardProps {
  states: readonly AgentState[];
  agents: readonly Agent[];
  isLoaded: boolean;
  onForceStatus: (agent: AgentState) => void;
  onMonitor: (conversationId: string) => void;
}

/** Live agents (SPEC M18, M21): status, load against capacity, sessions; force a status. */
export function AgentBoard({ states, agents, isLoaded, onForceStatus, onMonitor }: AgentBoardProps) {
  const cs = callStrings();
  const callOf = (state: AgentState) => state.sessions.find((x) => x.subject === 'call');
  const agentOf = (id: string) => agents.find((a) => a.id === id);
  // Agents without a routing state yet are offline.
  const rows: AgentState[] = [
    ...states,
    ...agents.filter((a) => !a.disabled && !states.some((s) => s.agentId === a.id)).map((a) => ({ agentId: a.id, status: 'offline' as const, reason: null, load: 0, maxConcurrent: a.maxConcurrentChats, sessions: [] })),
  ];
  const nameOf = (id: string) => agentOf(id)?.name || agentOf(id)?.email || id;
  return (
    <Table
      caption="Agents"
      rows={rows}
      rowKey={(s) => s.agentId}
      empty={isLoaded ? 'No agent.' : 'Loading…'}
      columns={[
        { key: 'name', header: 'Agent', render: (s) => <><strong>{nameOf(s.agentId)}</strong>{agentOf(s.agentId)?.role !== 'agent' && agentOf(s.agentId) && <span className="fd-sup-muted"> · {agentOf(s.agentId)?.role}</span>}</> },
        {
          key: 'status',
          header: 'Status',
          render: (a) => (
            <span data-testid={`status-${a.agentId}`}>
              <Badge tone={STATUS_TONES[a.status]}>{STATUS_LABELS[a.status]}</Badge>
              {callOf(a) && <> <Badge tone={callOf(a)!.state === 'assigned' ? 'danger' : 'warning'}>{callOf(a)!.state === 'assigned' ? cs.onCall : cs.callRinging}</Badge></>}
              {a.reason && <span className="fd-sup-muted"> {a.reason}</span>}
            </span>
          ),
        },
        {
          key: 'load',
          header: 'Load',
          render: (s) => (
            <span className="fd-sup-load" data-testid={`load-${s.agentId}`}>
              <meter min={0} max={Math.max(1, s.maxConcurrent)} value={s.load} aria-label={`Load of ${nameOf(s.agentId)}`} />
              {s.load} / {s.maxConcurrent}
            </span>
          ),
        },
        {
          key: 'sessions',
          header: 'Sessions',
          render: (s) =>
            s.sessions.length === 0 ? '—' : (
              <span className="fd-sup-inline">
                {s.sessions.map((session) =>
                  session.subject === 'call' ? (
                    <span key={session.conversationId} className="fd-sup-muted" title={session.conversationId}><Icon name="phone" /> {shortId(session.conversationId)}</span>
                  ) : (
                    <Button key={session.conversationId} size="sm" variant="ghost" onClick={() => onMonitor(session.conversationId)} title={`Monitor ${session.conversationId}`}>
                      {session.state === 'offered' ? 'ringing ' : ''}{shortId(session.conversationId)}
                    </Button>
                  ),
                )}
              </span>
            ),
        },
        { key: 'force', header: <span className="fd-visually-hidden">Actions</span>, align: 'end', render: (s) => <Button size="sm" onClick={() => onForceStatus(s)} aria-label={`Force status of ${nameOf(s.agentId)}`}>Force status</Button> },
      ]}
    />
  );
}
