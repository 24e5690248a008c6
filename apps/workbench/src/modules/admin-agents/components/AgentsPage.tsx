import type { Agent, Queue, QueueGroup } from '@frontdesk/protocol';
import type { AdminApi, AgentSkillsView } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { Badge, Button, Dialog, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../../admin/hooks/useLoad.ts';
import { skillsSummaryOf } from '../state/skills-summary.ts';
import { AgentForm } from './AgentForm.tsx';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { SkillsEditor } from './SkillsEditor.tsx';
import { callStrings } from '../../calls/locales/index.ts';
import { mediaLabel } from '../state/media-labels.ts';

type Editing = { kind: 'new' } | { kind: 'edit'; agent: Agent } | { kind: 'skills'; agent: Agent } | null;

/** How many skills a row shows before "+N more". */
const SUMMARY_LIMIT = 4;

/** Agents (SPEC M6, M17): roles, media types, capacity, skills. */
export function AgentsPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const agents = useLoad(() => api.agents.list());
  const queues = useLoad(() => api.queues.list());
  const groups = useLoad(() => api.queueGroups.list());
  const [editing, setEditing] = useState<Editing>(null);
  const close = () => setEditing(null);
  // Each agent's skills, for the summary column: one read per agent, after the list loads.
  const [skillsOf, setSkillsOf] = useState<ReadonlyMap<string, AgentSkillsView | 'error'>>(new Map());
  useEffect(() => {
    const list = agents.data;
    if (!list) return;
    let isCurrent = true;
    void Promise.allSettled(list.map((a) => api.agents.skills(a.id))).then((results) => {
      if (!isCurrent) return;
      setSkillsOf(new Map(list.map((a, i) => {
        const result = results[i]!;
        return [a.id, result.status === 'fulfilled' ? result.value : 'error'] as const;
      })));
    });
    return () => {
      isCurrent = false;
    };
  }, [api, agents.data]);

  return (
    <section className="fd-admin-page" aria-labelledby="agents-title">
      <header className="fd-admin-page__header">
        <h2 id="agents-title">Agents</h2>
        <Button variant="primary" onClick={() => setEditing({ kind: 'new' })}>New agent</Button>
      </header>
      <FormAlert messages={agents.error ? [agents.error] : []} />
      <Table
        caption="Agents of this app"
        rows={agents.data ?? []}
        rowKey={(a) => a.id}
        empty={agents.isLoading ? 'Loading…' : 'No agent.'}
        columns={[
          { key: 'name', header: 'Name', render: (a) => <><strong>{a.name}</strong><br /><span className="fd-admin-muted">{a.email}</span></> },
          { key: 'role', header: 'Role', render: (a) => <Badge tone={a.role === 'admin' ? 'danger' : a.role === 'supervisor' ? 'warning' : 'neutral'}>{a.role}</Badge> },
          { key: 'media', header: callStrings().mediaLegend, render: (a) => a.mediaTypes.map(mediaLabel).join(', ') },
          { key: 'skills', header: 'Skills (level)', render: (a) => <SkillsSummary skills={skillsOf.get(a.id)} queues={queues.data ?? []} queueGroups={groups.data ?? []} /> },
          { key: 'max', header: 'Max chats', align: 'end', render: (a) => a.maxConcurrentChats },
          { key: 'maxCalls', header: callStrings().maxCalls, align: 'end', render: (a) => (a.mediaTypes.some((m) => m !== 'chat') ? a.maxConcurrentCalls : '—') },
          { key: 'state', header: 'Account', render: (a) => (a.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>) },
          {
            key: 'actions',
            header: <span className="fd-visually-hidden">Actions</span>,
            align: 'end',
            render: (a) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setEditing({ kind: 'edit', agent: a })} aria-label={`Edit ${a.email}`}>Edit</Button>
                <Button size="sm" onClick={() => setEditing({ kind: 'skills', agent: a })} aria-label={`Skills of ${a.email}`}>Skills</Button>
              </span>
            ),
          },
        ]}
      />
      <Dialog
        isOpen={editing !== null}
        onClose={close}
        className="fd-admin-dialog--wide"
        title={editing?.kind === 'new' ? 'New agent' : editing?.kind === 'edit' ? `Edit ${editing.agent.email}` : editing?.kind === 'skills' ? `Skills of ${editing.agent.email}` : ''}
      >
        {editing?.kind === 'new' && (
          <AgentForm api={api} onCancel={close} onSaved={(a) => { toast({ message: `Agent ${a.email} created`, tone: 'success' }); close(); void agents.reload(); }} />
        )}
        {editing?.kind === 'edit' && (
          <AgentForm api={api} agent={editing.agent} onCancel={close} onSaved={(a) => { toast({ message: `Agent ${a.email} saved`, tone: 'success' }); close(); void agents.reload(); }} />
        )}
        {editing?.kind === 'skills' && (
          <SkillsEditor
            api={api}
            agent={editing.agent}
            queues={queues.data ?? []}
            queueGroups={groups.data ?? []}
            onCancel={close}
            onSaved={(saved) => {
              toast({ message: `Skills of ${editing.agent.email} saved`, tone: 'success' });
              setSkillsOf((current) => new Map(current).set(editing.agent.id, saved));
              close();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

/** An agent's skills in a cell: queue names with the level, the default one highlighted. */
function SkillsSummary({ skills, queues, queueGroups }: { skills: AgentSkillsView | 'error' | undefined; queues: readonly Queue[]; queueGroups: readonly QueueGroup[] }) {
  if (skills === undefined) return <span className="fd-admin-muted">…</span>;
  if (skills === 'error') return <span className="fd-admin-muted">unavailable</span>;
  const items = skillsSummaryOf(skills, queues, queueGroups);
  if (items.length === 0) return <span className="fd-admin-muted">none</span>;
  const shown = items.slice(0, SUMMARY_LIMIT);
  return (
    <span className="fd-admin-skills" data-testid="skills-summary">
      {shown.map((item) => (
        <Badge
          key={item.key}
          tone={item.isDefault ? 'info' : 'neutral'}
          title={`${item.isGroup ? 'Queue group' : 'Queue'} ${item.name}: level ${item.level} of 5${item.isDefault ? ', default skill' : ''}`}
        >
          {item.isGroup && <span className="fd-admin-muted">group</span>}
          {item.name} · {item.level}
          {item.isDefault && <span className="fd-visually-hidden"> (default)</span>}
        </Badge>
      ))}
      {items.length > shown.length && <span className="fd-admin-muted">+{items.length - shown.length} more</span>}
    </span>
  );
}
