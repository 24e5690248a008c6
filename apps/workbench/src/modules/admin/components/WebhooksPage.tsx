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
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';

/** Webhook subscriptions (secrets shown once), the delivery log and replay (SPEC M35). */
export function WebhooksPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const { webhooks: t, common } = adminStrings();
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
        <h2 id="webhooks-title">{t.title}</h2>
        <Button variant="primary" onClick={() => setEditing('new')}>{t.newSubscription}</Button>
      </header>
      <FormAlert messages={[subscriptions.error, error].filter((m): m is string => Boolean(m))} />
      {secret && (
        <div className="fd-admin-notice" role="status">
          {format(t.signingSecretOf, { url: secret.url })} <SecretOnce label={t.signingSecret} secret={secret.secret} onDismiss={() => setSecret(undefined)} />
        </div>
      )}
      <Table
        caption={t.caption}
        rows={subscriptions.data ?? []}
        rowKey={(s) => s.id}
        empty={subscriptions.isLoading ? common.loading : t.none}
        columns={[
          { key: 'url', header: t.receiver, render: (s) => <><strong className="fd-admin-clip">{s.url}</strong>{s.description && <><br /><span className="fd-admin-muted">{s.description}</span></>}</> },
          { key: 'format', header: t.format, render: (s) => (s.format === 'anychat' ? `anychat (${s.signType})` : t.standard) },
          { key: 'events', header: t.events, render: (s) => (s.eventTypes === null ? t.allEvents : s.eventTypes.join(', ')) },
          { key: 'secret', header: t.secret, render: () => <SecretOnce label={t.signingSecret} secret={undefined} /> },
          {
            key: 'state',
            header: t.state,
            render: (s) => (s.enabled ? <Badge tone="success">{t.enabled}</Badge> : <Badge tone="danger">{t.disabled}{s.disabledReason === 'gone' ? t.gone : ''}</Badge>),
          },
          {
            key: 'x',
            header: <span className="fd-visually-hidden">{common.actions}</span>,
            align: 'end',
            render: (s) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setEditing(s)}>{common.edit}</Button>
                <Button
                  size="sm"
                  onClick={() =>
                    void api.webhooks.rotateSecret(s.id).then(
                      (r) => setSecret({ url: s.url, secret: r.secret }),
                      (err: unknown) => setError(errorInfo(err).message),
                    )
                  }
                >
                  {t.rotateSecret}
                </Button>
                {s.enabled ? (
                  <Button size="sm" onClick={() => void act(() => api.webhooks.disable(s.id), t.disabledDone)}>{t.disable}</Button>
                ) : (
                  <Button size="sm" onClick={() => void act(() => api.webhooks.enable(s.id), t.enabledDone)}>{t.enable}</Button>
                )}
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => {
                    if (window.confirm(format(t.deleteConfirm, { url: s.url }))) void act(() => api.webhooks.remove(s.id), t.deletedDone);
                  }}
                >
                  {common.delete}
                </Button>
              </span>
            ),
          },
        ]}
      />
      <DeliveryLog api={api} subscriptions={subscriptions.data ?? []} />
      <Dialog isOpen={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t.newTitle : t.editTitle} className="fd-admin-dialog--wide">
        {editing !== null && (
          <WebhookForm
            api={api}
            subscription={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved, newSecret) => {
              setEditing(null);
              if (newSecret) setSecret({ url: saved.url, secret: newSecret });
              toast({ message: t.saved, tone: 'success' });
              void subscriptions.reload();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}
