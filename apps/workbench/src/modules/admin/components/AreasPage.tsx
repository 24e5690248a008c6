import type { Area, QueueGroup } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { errorInfo, formErrorsOf, type FieldErrors } from '../state/form-errors.ts';
import { FormAlert } from './FormAlert.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';

/** Service areas (AnyChat 营业厅) and queue groups (队列组) (SPEC M17). */
export function AreasPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const { areas: t, common } = adminStrings();
  const areas = useLoad(() => api.areas.list());
  const groups = useLoad(() => api.queueGroups.list());
  const queues = useLoad(() => api.queues.list());
  const [areaName, setAreaName] = useState('');
  const [areaErrors, setAreaErrors] = useState<FieldErrors>({});
  const [group, setGroup] = useState<{ id?: string; name: string; queueIds: string[] }>({ name: '', queueIds: [] });
  const [groupErrors, setGroupErrors] = useState<FieldErrors>({});
  const [pageError, setPageError] = useState<string>();

  async function createArea(event: FormEvent) {
    event.preventDefault();
    if (!areaName.trim()) return setAreaErrors({ name: common.nameRequired });
    try {
      await api.areas.create(areaName.trim());
      setAreaName('');
      setAreaErrors({});
      await areas.reload();
    } catch (err) {
      setAreaErrors(formErrorsOf(err));
    }
  }

  const [renaming, setRenaming] = useState<{ id: string; name: string }>();

  async function renameArea(event: FormEvent) {
    event.preventDefault();
    if (!renaming) return;
    if (!renaming.name.trim()) return setPageError(t.needsName);
    try {
      await api.areas.rename(renaming.id, renaming.name.trim());
      setRenaming(undefined);
      setPageError(undefined);
      await areas.reload();
    } catch (err) {
      setPageError(errorInfo(err).message);
    }
  }

  async function removeArea(area: Area) {
    setPageError(undefined);
    try {
      await api.areas.remove(area.id);
      toast({ message: format(t.deleted, { name: area.name }), tone: 'success' });
      await areas.reload();
    } catch (err) {
      setPageError(format(common.cannotDelete, { name: area.name, error: errorInfo(err).message }));
    }
  }

  async function saveGroup(event: FormEvent) {
    event.preventDefault();
    if (!group.name.trim()) return setGroupErrors({ name: common.nameRequired });
    try {
      const body = { name: group.name.trim(), queueIds: group.queueIds };
      if (group.id) await api.queueGroups.update(group.id, body);
      else await api.queueGroups.create(body);
      setGroup({ name: '', queueIds: [] });
      setGroupErrors({});
      await groups.reload();
    } catch (err) {
      setGroupErrors(formErrorsOf(err));
    }
  }

  async function removeGroup(g: QueueGroup) {
    try {
      await api.queueGroups.remove(g.id);
      await groups.reload();
    } catch (err) {
      setPageError(errorInfo(err).message);
    }
  }

  const queueNames = (ids: readonly string[]) => ids.map((id) => queues.data?.find((q) => q.id === id)?.name ?? id).join(', ') || '—';

  return (
    <section className="fd-admin-page" aria-labelledby="areas-title">
      <h2 id="areas-title">{t.title}</h2>
      <FormAlert messages={[areas.error, groups.error, pageError].filter((m): m is string => Boolean(m))} />
      <div className="fd-admin-columns">
        <div>
          <Table
            caption={t.areasCaption}
            rows={areas.data ?? []}
            rowKey={(a) => a.id}
            empty={t.noArea}
            columns={[
              {
                key: 'name',
                header: common.name,
                render: (a) =>
                  renaming?.id === a.id ? (
                    <form className="fd-admin-inline" onSubmit={renameArea} aria-label={format(t.renameLabel, { name: a.name })}>
                      <input className="fd-control" aria-label={t.newName} value={renaming.name} maxLength={100} autoFocus onChange={(e) => setRenaming({ id: a.id, name: e.target.value })} />
                      <Button size="sm" type="submit" variant="primary">{common.save}</Button>
                      <Button size="sm" onClick={() => setRenaming(undefined)}>{common.cancel}</Button>
                    </form>
                  ) : (
                    a.name
                  ),
              },
              { key: 'queues', header: common.queues, render: (a) => queues.data?.filter((q) => q.areaId === a.id).map((q) => q.name).join(', ') || '—' },
              {
                key: 'actions',
                header: <span className="fd-visually-hidden">{common.actions}</span>,
                align: 'end',
                render: (a) => (
                  <span className="fd-admin-inline">
                    <Button size="sm" onClick={() => setRenaming({ id: a.id, name: a.name })}>{common.rename}</Button>
                    <Button size="sm" variant="danger" onClick={() => void removeArea(a)}>{common.delete}</Button>
                  </span>
                ),
              },
            ]}
          />
          <form className="fd-admin-form" onSubmit={createArea} noValidate aria-label={t.newAreaLabel}>
            <FormAlert messages={areaErrors[''] ? [areaErrors['']] : []} />
            <div className="fd-admin-row">
              <Field label={t.newAreaName} error={areaErrors.name}>
                <input value={areaName} maxLength={100} onChange={(e) => setAreaName(e.target.value)} />
              </Field>
              <Button type="submit" variant="primary">{t.addArea}</Button>
            </div>
          </form>
        </div>
        <div>
          <Table
            caption={common.queueGroups}
            rows={groups.data ?? []}
            rowKey={(g) => g.id}
            empty={common.noQueueGroup}
            columns={[
              { key: 'name', header: common.name, render: (g) => g.name },
              { key: 'queues', header: common.queues, render: (g) => queueNames(g.queueIds) },
              {
                key: 'actions',
                header: <span className="fd-visually-hidden">{common.actions}</span>,
                align: 'end',
                render: (g) => (
                  <span className="fd-admin-inline">
                    <Button size="sm" onClick={() => setGroup({ id: g.id, name: g.name, queueIds: g.queueIds })}>{common.edit}</Button>
                    <Button size="sm" variant="danger" onClick={() => void removeGroup(g)}>{common.delete}</Button>
                  </span>
                ),
              },
            ]}
          />
          <form className="fd-admin-form" onSubmit={saveGroup} noValidate aria-label={group.id ? t.editGroupLabel : t.newGroupLabel}>
            <FormAlert messages={groupErrors[''] ? [groupErrors['']] : []} />
            <Field label={group.id ? t.groupName : t.newGroupName} error={groupErrors.name}>
              <input value={group.name} maxLength={100} onChange={(e) => setGroup({ ...group, name: e.target.value })} />
            </Field>
            <Field label={t.groupQueues} error={groupErrors.queueIds} hint={t.groupQueuesHint}>
              <select multiple value={group.queueIds} onChange={(e) => setGroup({ ...group, queueIds: [...e.target.selectedOptions].map((o) => o.value) })}>
                {(queues.data ?? []).map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
              </select>
            </Field>
            <div className="fd-admin-actions">
              <Button type="submit" variant="primary">{group.id ? t.saveGroup : t.addGroup}</Button>
              {group.id && <Button onClick={() => setGroup({ name: '', queueIds: [] })}>{common.cancel}</Button>}
            </div>
          </form>
        </div>
      </div>
    </section>
  );
}
