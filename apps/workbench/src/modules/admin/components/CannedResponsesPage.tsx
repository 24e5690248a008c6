import type { CannedResponse } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Button, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { previewOf } from '../state/canned-form.ts';
import { errorInfo } from '../state/form-errors.ts';
import { CannedResponseForm } from './CannedResponseForm.tsx';
import { FormAlert } from './FormAlert.tsx';

/** Canned responses: the app's prepared replies that agents insert by typing `/shortcut`. List, create, edit, delete. */
export function CannedResponsesPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const responses = useLoad(() => api.cannedResponses.list());
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const [deleteError, setDeleteError] = useState<string>();

  async function remove(response: CannedResponse) {
    if (!window.confirm(`Delete the canned response /${response.shortcut}?`)) return;
    setDeleteError(undefined);
    try {
      await api.cannedResponses.remove(response.id);
      toast({ message: `Canned response /${response.shortcut} deleted`, tone: 'success' });
      await responses.reload();
    } catch (err) {
      setDeleteError(`Cannot delete /${response.shortcut}: ${errorInfo(err).message}`);
    }
  }

  if (editing) {
    return (
      <section className="fd-admin-page" aria-labelledby="canned-form-title">
        <h2 id="canned-form-title">{editing === 'new' ? 'New canned response' : `Canned response: /${editing.shortcut}`}</h2>
        <CannedResponseForm
          api={api}
          response={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            toast({ message: `Canned response /${saved.shortcut} ${editing === 'new' ? 'created' : 'saved'}`, tone: 'success' });
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
        <h2 id="canned-title">Canned responses</h2>
        <Button variant="primary" onClick={() => { setDeleteError(undefined); setEditing('new'); }}>New response</Button>
      </header>
      <p className="fd-admin-muted fd-admin-intro">Agents type <code className="fd-admin-code">/</code> and a shortcut in the composer to insert a response; they can edit it before sending.</p>
      <FormAlert messages={[responses.error, deleteError].filter((m): m is string => Boolean(m))} />
      <Table
        caption="Canned responses"
        className="fd-admin-canned"
        rows={responses.data ?? []}
        rowKey={(r) => r.id}
        empty={responses.isLoading ? 'Loading…' : 'No canned response yet.'}
        columns={[
          { key: 'shortcut', header: 'Shortcut', width: '12rem', render: (r) => <code className="fd-admin-code">/{r.shortcut}</code> },
          { key: 'title', header: 'Title', width: '16rem', render: (r) => <strong>{r.title}</strong> },
          { key: 'text', header: 'Text', render: (r) => <span className="fd-admin-preview" title={r.text}>{previewOf(r.text)}</span> },
          {
            key: 'actions',
            header: <span className="fd-visually-hidden">Actions</span>,
            align: 'end',
            width: '10rem',
            render: (r) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => { setDeleteError(undefined); setEditing(r); }} aria-label={`Edit /${r.shortcut}`}>Edit</Button>
                <Button size="sm" variant="danger" onClick={() => void remove(r)} aria-label={`Delete /${r.shortcut}`}>Delete</Button>
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
