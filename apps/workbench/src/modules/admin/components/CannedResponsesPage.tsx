import type { CannedResponse } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Button, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { previewOf } from '../state/canned-form.ts';
import { errorInfo } from '../state/form-errors.ts';
import { CannedResponseForm } from './CannedResponseForm.tsx';
import { FormAlert } from './FormAlert.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';
import { cannedStrings } from '../../canned/locales/index.ts';

/** Canned responses: the app's prepared replies that agents insert by typing `/shortcut`. List, create, edit, delete. */
export function CannedResponsesPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const { canned: t, common } = adminStrings();
  const canned = cannedStrings();
  const responses = useLoad(() => api.cannedResponses.list());
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const [deleteError, setDeleteError] = useState<string>();

  async function remove(response: CannedResponse) {
    if (!window.confirm(format(t.deleteConfirm, { shortcut: response.shortcut }))) return;
    setDeleteError(undefined);
    try {
      await api.cannedResponses.remove(response.id);
      toast({ message: format(t.deleted, { shortcut: response.shortcut }), tone: 'success' });
      await responses.reload();
    } catch (err) {
      setDeleteError(format(t.cannotDelete, { shortcut: response.shortcut, error: errorInfo(err).message }));
    }
  }

  if (editing) {
    return (
      <section className="fd-admin-page" aria-labelledby="canned-form-title">
        <h2 id="canned-form-title">{editing === 'new' ? t.newTitle : format(t.editTitle, { shortcut: editing.shortcut })}</h2>
        <CannedResponseForm
          api={api}
          response={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            toast({ message: format(editing === 'new' ? t.created : t.saved, { shortcut: saved.shortcut }), tone: 'success' });
            setEditing(null);
            void responses.reload();
          }}
        />
      </section>
    );
  }

  return (
    <section className="fd-admin-page" aria-labelledby="canned-title">
      <header className="fd-admin-page__header">
        <h2 id="canned-title">{t.title}</h2>
        <Button variant="primary" onClick={() => { setDeleteError(undefined); setEditing('new'); }}>{t.newResponse}</Button>
      </header>
      <p className="fd-admin-muted fd-admin-intro">{withSlash(t.intro)}</p>
      <FormAlert messages={[responses.error, deleteError].filter((m): m is string => Boolean(m))} />
      <Table
        caption={t.title}
        className="fd-admin-canned"
        rows={responses.data ?? []}
        rowKey={(r) => r.id}
        empty={responses.isLoading ? common.loading : t.none}
        columns={[
          { key: 'shortcut', header: canned.shortcut, width: '12rem', render: (r) => <code className="fd-admin-code">/{r.shortcut}</code> },
          { key: 'title', header: canned.title, width: '16rem', render: (r) => <strong>{r.title}</strong> },
          { key: 'text', header: canned.text, render: (r) => <span className="fd-admin-preview" title={r.text}>{previewOf(r.text)}</span> },
          {
            key: 'actions',
            header: <span className="fd-visually-hidden">{common.actions}</span>,
            align: 'end',
            width: '10rem',
            render: (r) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => { setDeleteError(undefined); setEditing(r); }} aria-label={format(t.editLabel, { shortcut: r.shortcut })}>{common.edit}</Button>
                <Button size="sm" variant="danger" onClick={() => void remove(r)} aria-label={format(canned.delete, { shortcut: r.shortcut })}>{common.delete}</Button>
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}

/** The intro with its `{slash}` shown as code (the character agents type). */
function withSlash(template: string) {
  const [before, after] = template.split('{slash}');
  return <>{before}<code className="fd-admin-code">/</code>{after}</>;
}
