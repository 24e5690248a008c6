import type { Queue } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Badge, Button, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../../admin/hooks/useLoad.ts';
import { errorInfo } from '../../admin/state/form-errors.ts';
import { secondsText } from '../state/queue-form.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { QueueForm } from './QueueForm.tsx';
import { queueTypeLabel } from '../state/queue-types.ts';

/** Skill queues (SPEC M15/M16): list, create, edit every field, delete when unused. */
export function QueuesPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const queues = useLoad(() => api.queues.list());
  const areas = useLoad(() => api.areas.list());
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const [deleteError, setDeleteError] = useState<string>();
  const areaName = (id: string | null) => areas.data?.find((a) => a.id === id)?.name ?? '—';
  const queueName = (id: string) => queues.data?.find((q) => q.id === id)?.name ?? id;

  async function remove(queue: Queue) {
    if (!window.confirm(`Delete the queue "${queue.name}"?`)) return;
    setDeleteError(undefined);
    try {
      await api.queues.remove(queue.id);
      toast({ message: `Queue ${queue.name} deleted`, tone: 'success' });
      await queues.reload();
    } catch (err) {
      setDeleteError(`Cannot delete ${queue.name}: ${errorInfo(err).message}`);
    }
  }

  if (editing) {
    return (
      <section className="fd-admin-page" aria-labelledby="queue-form-title">
        <h2 id="queue-form-title">{editing === 'new' ? 'New queue' : `Queue: ${editing.name}`}</h2>
        <QueueForm
          api={api}
          queue={editing === 'new' ? undefined : editing}
          queues={queues.data ?? []}
          areas={areas.data ?? []}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            toast({ message: `Queue ${saved.name} saved`, tone: 'success' });
            setEditing(null);
            void queues.reload();
          }}
        />
      </section>
    );
  }

  return (
    <section className="fd-admin-page" aria-labelledby="queues-title">
      <header className="fd-admin-page__header">
        <h2 id="queues-title">Skill queues</h2>
        <Button variant="primary" onClick={() => setEditing('new')}>New queue</Button>
      </header>
      <FormAlert messages={[queues.error, deleteError].filter((m): m is string => Boolean(m))} />
      <Table
        caption="Queues"
        rows={queues.data ?? []}
        rowKey={(q) => q.id}
        empty={queues.isLoading ? 'Loading…' : 'No queue yet: conversations are claimed by hand until a channel names a queue.'}
        columns={[
          { key: 'name', header: 'Name', render: (q) => <strong>{q.name}</strong> },
          { key: 'type', header: 'Type', render: (q) => `${queueTypeLabel(q.type)} · ${q.mode}` },
          { key: 'area', header: 'Area', render: (q) => areaName(q.areaId) },
          { key: 'priority', header: 'Priority', align: 'end', render: (q) => q.priority },
          { key: 'wait', header: 'Max wait', align: 'end', render: (q) => secondsText(q.maxWaitSeconds) },
          { key: 'wrap', header: 'Wrap-up', align: 'end', render: (q) => secondsText(q.wrapUpSeconds) },
          { key: 'len', header: 'Max length', align: 'end', render: (q) => (q.maxQueueLength.kind === 'fixed' ? q.maxQueueLength.value : `${q.maxQueueLength.percent}% of agents`) },
          {
            key: 'overflow',
            header: 'Overflow',
            render: (q) => {
              const rules = Object.entries(q.overflow);
              if (rules.length === 0) return '—';
              return rules.map(([trigger, rule]) => (
                <Badge key={trigger} tone={rule.action === 'transfer' ? 'info' : 'warning'}>
                  {trigger}: {rule.action === 'transfer' ? `→ ${queueName(rule.toQueueId)} (<${rule.maxOccupancyPercent}%)` : 'release'}
                </Badge>
              ));
            },
          },
          {
            key: 'actions',
            header: <span className="fd-visually-hidden">Actions</span>,
            align: 'end',
            render: (q) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setEditing(q)} aria-label={`Edit ${q.name}`}>Edit</Button>
                <Button size="sm" variant="danger" onClick={() => void remove(q)} aria-label={`Delete ${q.name}`}>Delete</Button>
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
