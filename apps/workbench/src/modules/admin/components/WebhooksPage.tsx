import type { WebhookSubscription } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Badge, Button, Dialog, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { errorInfo } from '../state/form-errors.ts';
import { DeliveryLog } from './DeliveryLog.tsx';
import { FormAlert } from './FormAlert.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { WebhookForm } from './WebhookForm.tsx';

/** Webhook subscriptions (secrets shown once), the delivery log and replay (SPEC M35). */
export function WebhooksPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const subscriptions = useLoad(() => api.webhooks.subscriptions());
  const [editing, setEditing] = useState<WebhookSubscription | 'new' | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [error, setError] = useState<string>();

  const act = async (call: () => Promise<unknown>, done: string) => {
    setError(undefined);
    try {
      await call();
      toast({ message: done, tone: 'success' });
      await subscriptions.reload();
    } catch (err) {
      setError(errorInfo(err).message);
    }
  };

  return (
    <section className="fd-admin-page" aria-labelledby="webhooks-title">
      <header className="fd-admin-page__header">
        <h2 id="webhooks-title">Webhooks</h2>
        <Button variant="primary" onClick={() => setEditing('new')}>New subscription</Button>
      </header>
      <FormAlert messages={[subscriptions.error, error].filter((m): m is string => Boolean(m))} />
      {secret && (
        <div className="fd-admin-notice" role="status">
          Signing secret of {secret.url}: <SecretOnce label="Signing secret" secret={secret.secret} onDismiss={() => setSecret(undefined)} />
        </div>
      )}
      <Table
        caption="Subscriptions"
        rows={subscriptions.data ?? []}
        rowKey={(s) => s.id}
        empty={subscriptions.isLoading ? 'Loading…' : 'No subscription: your backend is told nothing yet.'}
        columns={[
          { key: 'url', header: 'Receiver', render: (s) => <><strong className="fd-admin-clip">{s.url}</strong>{s.description && <><br /><span className="fd-admin-muted">{s.description}</span></>}</> },
          { key: 'format', header: 'Format', render: (s) => (s.format === 'anychat' ? `anychat (${s.signType})` : 'standard') },
          { key: 'events', header: 'Events', render: (s) => (s.eventTypes === null ? 'all' : s.eventTypes.join(', ')) },
          { key: 'secret', header: 'Secret', render: () => <SecretOnce label="Signing secret" secret={undefined} /> },
          {
            key: 'state',
            header: 'State',
            render: (s) => (s.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="danger">disabled{s.disabledReason === 'gone' ? ' (410 Gone)' : ''}</Badge>),
          },
          {
            key: 'x',
            header: <span className="fd-visually-hidden">Actions</span>,
            align: 'end',
            render: (s) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setEditing(s)}>Edit</Button>
                <Button
                  size="sm"
                  onClick={() =>
                    void api.webhooks.rotateSecret(s.id).then(
                      (r) => setSecret({ url: s.url, secret: r.secret }),
                      (err: unknown) => setError(errorInfo(err).message),
                    )
                  }
                >
                  Rotate secret
                </Button>
                {s.enabled ? (
                  <Button size="sm" onClick={() => void act(() => api.webhooks.disable(s.id), 'Subscription disabled')}>Disable</Button>
                ) : (
                  <Button size="sm" onClick={() => void act(() => api.webhooks.enable(s.id), 'Subscription enabled')}>Enable</Button>
                )}
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => {
                    if (window.confirm(`Delete the subscription of ${s.url} and its delivery log?`)) void act(() => api.webhooks.remove(s.id), 'Subscription deleted');
                  }}
                >
                  Delete
                </Button>
              </span>
            ),
          },
        ]}
      />
      <DeliveryLog api={api} subscriptions={subscriptions.data ?? []} />
      <Dialog isOpen={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New webhook subscription' : 'Edit subscription'} className="fd-admin-dialog--wide">
        {editing !== null && (
          <WebhookForm
            api={api}
            subscription={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved, newSecret) => {
              setEditing(null);
              if (newSecret) setSecret({ url: saved.url, secret: newSecret });
              toast({ message: 'Subscription saved', tone: 'success' });
              void subscriptions.reload();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}
