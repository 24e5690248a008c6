import type { Agent, Call } from '@frontdesk/protocol';
import { Badge, Button, Icon, Table } from '../../../ui/index.ts';
import { callStrings } from '../../calls/locales/index.ts';
import { PHASE_KEYS } from '../../calls/state/call-labels.ts';
import { durationText, shortId } from '../state/format.ts';

/** Live calls beside live chats: who is on a call with whom, voice or video, its state and length; monitor its chat. */
export function CallBoard({ calls, agents, now, onMonitor }: { calls: readonly Call[]; agents: readonly Agent[]; now: number; onMonitor: (conversationId: string) => void }) {
  const s = callStrings();
  const agentName = (id: string | null) => (id ? agents.find((a) => a.id === id)?.name ?? shortId(id) : '—');
  const ringing = (call: Call) => call.participants.filter((p) => p.role === 'agent' && p.leg === 'ringing').map((p) => agentName(p.userId));
  return (
    <Table
      caption={s.liveCalls}
      rows={calls}
      rowKey={(c) => c.id}
      empty={s.noLiveCalls}
      columns={[
        { key: 'agent', header: s.colAgent, render: (c) => (c.mainAgentId ? agentName(c.mainAgentId) : ringing(c).join(', ') || '—') },
        { key: 'visitor', header: s.colVisitor, render: (c) => <code title={c.visitorId}>{shortId(c.visitorId)}</code> },
        { key: 'kind', header: s.colKind, render: (c) => <span className="fd-sup-inline"><Icon name={c.kind === 'video' ? 'video' : 'phone'} /> {c.kind === 'video' ? s.kindVideo : s.kindAudio}</span> },
        { key: 'state', header: s.colState, render: (c) => <Badge tone={c.phase === 'active' ? 'success' : c.phase === 'held' ? 'warning' : 'info'}>{s[PHASE_KEYS[c.phase]]}</Badge> },
        { key: 'duration', header: s.colDuration, align: 'end', render: (c) => (c.connectedAt !== null ? durationText(now - c.connectedAt) : '—') },
        {
          key: 'actions',
          header: <span className="fd-visually-hidden">{s.monitorChat}</span>,
          align: 'end',
          render: (c) => <Button size="sm" onClick={() => onMonitor(c.conversationId)}>{s.monitorChat}</Button>,
        },
      ]}
    />
  );
}
