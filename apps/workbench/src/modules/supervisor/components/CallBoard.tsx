import type { Agent, Call, LiveCall, SupervisionMode } from '@frontdesk/protocol';
import { Badge, Button, Icon, Table } from '../../../ui/index.ts';
import { callStrings } from '../../calls/locales/index.ts';
import { PHASE_KEYS } from '../../calls/state/call-labels.ts';
import { supervisionStrings } from '../locales/index.ts';
import { durationText, shortId } from '../state/format.ts';
import { VisitorName } from '../../visitor/components/VisitorName.tsx';

const MODES: readonly SupervisionMode[] = ['monitor', 'whisper', 'barge'];

/**
 * Live calls beside live chats (SPEC M28): visitor, agent, queue, kind, state, length, who
 * supervises it; the mode buttons join the call's media as a supervisor (one call at a time) or
 * switch in place; the chat can be monitored as before.
 */
export function CallBoard({ calls, agents, queueName, now, supervising, isBusy, onMode, onMonitor }: {
  calls: readonly LiveCall[];
  agents: readonly Agent[];
  queueName: (queueId: string | null) => string;
  now: number;
  /** The call this supervisor supervises from the board, and its mode. */
  supervising: { callId: string | null; mode: SupervisionMode | null };
  isBusy: boolean;
  onMode: (callId: string, mode: SupervisionMode) => void;
  onMonitor: (conversationId: string) => void;
}) {
  const s = callStrings();
  const sv = supervisionStrings();
  const agentName = (id: string | null) => (id ? agents.find((a) => a.id === id)?.name ?? shortId(id) : '—');
  const ringing = (call: Call) => call.participants.filter((p) => p.role === 'agent' && p.leg === 'ringing').map((p) => agentName(p.userId));
  const canSupervise = (call: Call) => call.phase === 'active' || call.phase === 'held' || call.phase === 'connecting';
  return (
    <Table
      caption={s.liveCalls}
      rows={calls}
      rowKey={(c) => c.call.id}
      empty={s.noLiveCalls}
      columns={[
        { key: 'agent', header: s.colAgent, render: ({ call: c }) => (c.mainAgentId ? agentName(c.mainAgentId) : ringing(c).join(', ') || '—') },
        { key: 'visitor', header: s.colVisitor, render: ({ call: c }) => (c.visitorId === null ? s.internalCall : <VisitorName sessionId={c.conversationId} visitorId={c.visitorId} />) },
        { key: 'queue', header: sv.colQueue, render: ({ queueId }) => queueName(queueId) },
        { key: 'kind', header: s.colKind, render: ({ call: c }) => <span className="fd-sup-inline"><Icon name={c.kind === 'video' ? 'video' : 'phone'} /> {c.kind === 'video' ? s.kindVideo : s.kindAudio}</span> },
        { key: 'state', header: s.colState, render: ({ call: c }) => <Badge tone={c.phase === 'active' ? 'success' : c.phase === 'held' ? 'warning' : 'info'}>{s[PHASE_KEYS[c.phase]]}</Badge> },
        { key: 'duration', header: s.colDuration, align: 'end', render: ({ call: c }) => (c.connectedAt !== null ? durationText(now - c.connectedAt) : '—') },
        {
          key: 'supervisors',
          header: sv.colSupervisors,
          render: ({ supervisors }) => (supervisors.length === 0 ? '—' : supervisors.map((x) => `${agentName(x.supervisorId)} (${sv[x.mode]})`).join(', ')),
        },
        {
          key: 'actions',
          header: <span className="fd-visually-hidden">{sv.modes}</span>,
          align: 'end',
          render: ({ call: c }) => (
            <span className="fd-sup-modes" role="group" aria-label={`${sv.modes} ${shortId(c.id)}`}>
              {canSupervise(c) &&
                MODES.map((m) => {
                  const isOn = supervising.callId === c.id && supervising.mode === m;
                  return (
                    <Button key={m} size="sm" variant={isOn ? 'primary' : 'secondary'} aria-pressed={isOn} isBusy={isBusy && supervising.callId === c.id} onClick={() => onMode(c.id, m)} data-testid={`call-mode-${m}`}>
                      {sv[m]}
                    </Button>
                  );
                })}
              {c.conversationId !== null && <Button size="sm" onClick={() => onMonitor(c.conversationId!)}>{s.monitorChat}</Button>}
            </span>
          ),
        },
      ]}
    />
  );
}
