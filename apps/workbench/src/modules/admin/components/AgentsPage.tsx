import type { Agent } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Badge, Button, Dialog, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { AgentForm } from './AgentForm.tsx';
import { FormAlert } from './FormAlert.tsx';
import { SkillsEditor } from './SkillsEditor.tsx';

type Editing = { kind: 'new' } | { kind: 'edit'; agent: Agent } | { kind: 'skills'; agent: Agent } | null;

/** Agents (SPEC M6, M17): roles, media types, capacity, skills. */
export function AgentsPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const agents = useLoad(() => api.agents.list());
  const queues = useLoad(() => api.queues.list());
  const groups = useLoad(() => api.queueGroups.list());
  const [editing, setEditing] = useState<Editing>(null);
  const close = () => setEditing(null);

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
          { key: 'media', header: 'Media', render: (a) => (a.mediaTypes.length === 3 ? 'omni' : a.mediaTypes.join(', ')) },
          { key: 'max', header: 'Max chats', align: 'end', render: (a) => a.maxConcurrentChats },
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
            onSaved={() => { toast({ message: `Skills of ${editing.agent.email} saved`, tone: 'success' }); close(); }}
          />
        )}
      </Dialog>
    </section>
  );
}
