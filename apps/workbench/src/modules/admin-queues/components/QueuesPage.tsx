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
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { queueStrings } from '../locales/index.ts';

/** Skill queues (SPEC M15/M16): list, create, edit every field, delete when unused. */
export function QueuesPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const t = queueStrings();
  const { common } = adminStrings();
  const queues = useLoad(() => api.queues.list());
  const areas = useLoad(() => api.areas.list());
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const [deleteError, setDeleteError] = useState<string>();
  const areaName = (id: string | null) => areas.data?.find((a) => a.id === id)?.name ?? '—';
  const queueName = (id: string) => queues.data?.find((q) => q.id === id)?.name ?? id;

  async function remove(queue: Queue) {
    if (!window.confirm(format(t.deleteConfirm, { name: queue.name }))) return;
    setDeleteError(undefined);
    try {
      await api.queues.remove(queue.id);
      toast({ message: format(t.deleted, { name: queue.name }), tone: 'success' });
      await queues.reload();
    } catch (err) {
      setDeleteError(format(common.cannotDelete, { name: queue.name, error: errorInfo(err).message }));
    }
  }

  if (editing) {
    return (
      <section className="fd-admin-page" aria-labelledby="queue-form-title">
        <h2 id="queue-form-title">{editing === 'new' ? t.newQueue : format(t.editTitle, { name: editing.name })}</h2>
        <QueueForm
          api={api}
          queue={editing === 'new' ? undefined : editing}
          queues={queues.data ?? []}
          areas={areas.data ?? []}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            toast({ message: format(t.saved, { name: saved.name }), tone: 'success' });
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
        <h2 id="queues-title">{t.title}</h2>
        <Button variant="primary" onClick={() => setEditing('new')}>{t.newQueue}</Button>
      </header>
      <FormAlert messages={[queues.error, deleteError].filter((m): m is string => Boolean(m))} />
      <Table
        caption={t.caption}
        rows={queues.data ?? []}
        rowKey={(q) => q.id}
        empty={queues.isLoading ? common.loading : t.none}
        columns={[
          { key: 'name', header: common.name, render: (q) => <strong>{q.name}</strong> },
          { key: 'type', header: t.columns.type, render: (q) => `${queueTypeLabel(q.type)} · ${t.modes[q.mode]}` },
          { key: 'area', header: t.columns.area, render: (q) => areaName(q.areaId) },
          { key: 'priority', header: t.columns.priority, align: 'end', render: (q) => q.priority },
          { key: 'wait', header: t.columns.maxWait, align: 'end', render: (q) => secondsText(q.maxWaitSeconds, t.units) },
          { key: 'wrap', header: t.columns.wrapUp, align: 'end', render: (q) => secondsText(q.wrapUpSeconds, t.units) },
          { key: 'len', header: t.columns.maxLength, align: 'end', render: (q) => (q.maxQueueLength.kind === 'fixed' ? q.maxQueueLength.value : format(t.percentOfAgents, { percent: q.maxQueueLength.percent })) },
          {
            key: 'overflow',
            header: t.columns.overflow,
            render: (q) => {
              const rules = Object.entries(q.overflow);
              if (rules.length === 0) return '—';
              return rules.map(([trigger, rule]) => (
                <Badge key={trigger} tone={rule.action === 'transfer' ? 'info' : 'warning'}>
                  {t.triggers[trigger as keyof typeof t.triggers] ?? trigger}: {rule.action === 'transfer' ? `→ ${queueName(rule.toQueueId)} (<${rule.maxOccupancyPercent}%)` : t.release}
                </Badge>
              ));
            },
          },
          {
            key: 'actions',
            header: <span className="fd-visually-hidden">{common.actions}</span>,
            align: 'end',
            render: (q) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setEditing(q)} aria-label={format(t.editLabel, { name: q.name })}>{common.edit}</Button>
                <Button size="sm" variant="danger" onClick={() => void remove(q)} aria-label={format(t.deleteLabel, { name: q.name })}>{common.delete}</Button>
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
