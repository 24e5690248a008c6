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
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { agentAdminStrings } from '../locales/index.ts';

type Editing = { kind: 'new' } | { kind: 'edit'; agent: Agent } | { kind: 'skills'; agent: Agent } | null;

/** How many skills a row shows before "+N more". */
const SUMMARY_LIMIT = 4;

/** Agents (SPEC M6, M17): roles, media types, capacity, skills. */
export function AgentsPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const t = agentAdminStrings();
  const { common } = adminStrings();
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
        <h2 id="agents-title">{t.title}</h2>
        <Button variant="primary" onClick={() => setEditing({ kind: 'new' })}>{t.newAgent}</Button>
      </header>
      <FormAlert messages={agents.error ? [agents.error] : []} />
      <Table
        caption={t.caption}
        rows={agents.data ?? []}
        rowKey={(a) => a.id}
        empty={agents.isLoading ? common.loading : t.none}
        columns={[
          { key: 'name', header: common.name, render: (a) => <><strong>{a.name}</strong><br /><span className="fd-admin-muted">{a.email}</span></> },
          { key: 'role', header: t.role, render: (a) => <Badge tone={a.role === 'admin' ? 'danger' : a.role === 'supervisor' ? 'warning' : 'neutral'}>{t.roleBadges[a.role]}</Badge> },
          { key: 'media', header: callStrings().mediaLegend, render: (a) => a.mediaTypes.map(mediaLabel).join(', ') },
          { key: 'skills', header: t.skillsColumn, render: (a) => <SkillsSummary skills={skillsOf.get(a.id)} queues={queues.data ?? []} queueGroups={groups.data ?? []} /> },
          { key: 'max', header: t.maxChats, align: 'end', render: (a) => a.maxConcurrentChats },
          { key: 'maxCalls', header: callStrings().maxCalls, align: 'end', render: (a) => (a.mediaTypes.some((m) => m !== 'chat') ? a.maxConcurrentCalls : '—') },
          { key: 'state', header: t.account, render: (a) => (a.disabled ? <Badge tone="danger">{t.disabled}</Badge> : <Badge tone="success">{t.active}</Badge>) },
          {
            key: 'actions',
            header: <span className="fd-visually-hidden">{common.actions}</span>,
            align: 'end',
            render: (a) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setEditing({ kind: 'edit', agent: a })} aria-label={format(t.editLabel, { email: a.email })}>{common.edit}</Button>
                <Button size="sm" onClick={() => setEditing({ kind: 'skills', agent: a })} aria-label={format(t.skillsLabel, { email: a.email })}>{t.skills}</Button>
              </span>
            ),
          },
        ]}
      />
      <Dialog
        isOpen={editing !== null}
        onClose={close}
        className="fd-admin-dialog--wide"
        title={editing?.kind === 'new' ? t.newAgent : editing?.kind === 'edit' ? format(t.editLabel, { email: editing.agent.email }) : editing?.kind === 'skills' ? format(t.skillsLabel, { email: editing.agent.email }) : ''}
      >
        {editing?.kind === 'new' && (
          <AgentForm api={api} onCancel={close} onSaved={(a) => { toast({ message: format(t.created, { email: a.email }), tone: 'success' }); close(); void agents.reload(); }} />
        )}
        {editing?.kind === 'edit' && (
          <AgentForm api={api} agent={editing.agent} onCancel={close} onSaved={(a) => { toast({ message: format(t.saved, { email: a.email }), tone: 'success' }); close(); void agents.reload(); }} />
        )}
        {editing?.kind === 'skills' && (
          <SkillsEditor
            api={api}
            agent={editing.agent}
            queues={queues.data ?? []}
            queueGroups={groups.data ?? []}
            onCancel={close}
            onSaved={(saved) => {
              toast({ message: format(t.skillsSaved, { email: editing.agent.email }), tone: 'success' });
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
  const t = agentAdminStrings();
  if (skills === undefined) return <span className="fd-admin-muted">…</span>;
  if (skills === 'error') return <span className="fd-admin-muted">{t.unavailable}</span>;
  const items = skillsSummaryOf(skills, queues, queueGroups);
  if (items.length === 0) return <span className="fd-admin-muted">{t.noSkill}</span>;
  const shown = items.slice(0, SUMMARY_LIMIT);
  return (
    <span className="fd-admin-skills" data-testid="skills-summary">
      {shown.map((item) => (
        <Badge
          key={item.key}
          tone={item.isDefault ? 'info' : 'neutral'}
          title={`${format(t.skillTitle, { kind: item.isGroup ? t.queueGroup : t.queue, name: item.name, level: item.level })}${item.isDefault ? t.defaultSkillTitle : ''}`}
        >
          {item.isGroup && <span className="fd-admin-muted">{t.group}</span>}
          {item.name} · {item.level}
          {item.isDefault && <span className="fd-visually-hidden">{t.defaultMark}</span>}
        </Badge>
      ))}
      {items.length > shown.length && <span className="fd-admin-muted">{format(t.more, { count: items.length - shown.length })}</span>}
    </span>
  );
}
