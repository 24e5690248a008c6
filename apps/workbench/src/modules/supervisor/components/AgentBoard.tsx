import type { Agent, AgentState } from '@frontdesk/protocol';
import { Badge, Button, Icon, Table } from '../../../ui/index.ts';
import { callStrings } from '../../calls/locales/index.ts';
import { format } from '../../../app/locale.ts';
import { supervisionStrings } from '../locales/index.ts';
import { STATUS_TONES, shortId } from '../state/format.ts';

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
  const s = supervisionStrings().board;
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
      caption={s.agents}
      rows={rows}
      rowKey={(s) => s.agentId}
      empty={isLoaded ? s.noAgent : s.loading}
      columns={[
        { key: 'name', header: s.colAgent, render: (a) => <><strong>{nameOf(a.agentId)}</strong>{agentOf(a.agentId) && agentOf(a.agentId)?.role !== 'agent' && <span className="fd-sup-muted"> · {s.roles[agentOf(a.agentId)!.role]}</span>}</> },
        {
          key: 'status',
          header: s.colStatus,
          render: (a) => (
            <span data-testid={`status-${a.agentId}`}>
              <Badge tone={STATUS_TONES[a.status]}>{s.statuses[a.status]}</Badge>
              {callOf(a) && <> <Badge tone={callOf(a)!.state === 'assigned' ? 'danger' : 'warning'}>{callOf(a)!.state === 'assigned' ? cs.onCall : cs.callRinging}</Badge></>}
              {a.reason && <span className="fd-sup-muted"> {a.reason}</span>}
            </span>
          ),
        },
        {
          key: 'load',
          header: s.colLoad,
          render: (a) => (
            <span className="fd-sup-load" data-testid={`load-${a.agentId}`}>
              <meter min={0} max={Math.max(1, a.maxConcurrent)} value={a.load} aria-label={format(s.loadOf, { name: nameOf(a.agentId) })} />
              {a.load} / {a.maxConcurrent}
            </span>
          ),
        },
        {
          key: 'sessions',
          header: s.colSessions,
          render: (a) =>
            a.sessions.length === 0 ? '—' : (
              <span className="fd-sup-inline">
                {a.sessions.map((session) =>
                  session.subject === 'call' ? (
                    <span key={session.conversationId} className="fd-sup-muted" title={session.conversationId}><Icon name="phone" /> {shortId(session.conversationId)}</span>
                  ) : (
                    <Button key={session.conversationId} size="sm" variant="ghost" onClick={() => onMonitor(session.conversationId)} title={format(s.monitorSession, { id: session.conversationId })}>
                      {session.state === 'offered' ? `${s.ringing} ` : ''}{shortId(session.conversationId)}
                    </Button>
                  ),
                )}
              </span>
            ),
        },
        { key: 'force', header: <span className="fd-visually-hidden">{s.actions}</span>, align: 'end', render: (a) => <Button size="sm" onClick={() => onForceStatus(a)} aria-label={format(s.forceStatusOf, { name: nameOf(a.agentId) })}>{s.forceStatus}</Button> },
      ]}
    />
  );
}
