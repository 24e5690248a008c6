import { APP_SECRET_KINDS, Origin } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Field, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { errorInfo, formErrorsOf, unplacedErrors, type FieldErrors } from '../state/form-errors.ts';
import { listOf } from '../state/numbers.ts';
import { FormAlert } from './FormAlert.tsx';
import { SecretOnce } from './SecretOnce.tsx';

type SecretKind = (typeof APP_SECRET_KINDS)[number];
const SECRET_LABELS: Record<SecretKind, { title: string; use: string }> = {
  appToken: { title: 'App token', use: 'VTC third-party user API signatures: md5("appId=…&timestamp=…&appToken=…")' },
  gatewaySecret: { title: 'Gateway secret', use: 'AnyChat business gateway MD5 signatures and notify callbacks' },
};

/** The app (SPEC M1): name, allowed origins, secrets (rotate, shown once), server-API keys. */
export function AppPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const app = useLoad(() => api.app.get());
  const keys = useLoad(() => api.app.apiKeys());
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [revealed, setRevealed] = useState<Partial<Record<SecretKind, string>>>({});
  const [newKey, setNewKey] = useState<{ name: string; key?: string }>({ name: '' });
  const [keyErrors, setKeyErrors] = useState<FieldErrors>({});

  useEffect(() => {
    if (!app.data) return;
    setName(app.data.name);
    setOrigins(app.data.allowedOrigins.join('\n'));
  }, [app.data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    const allowedOrigins = listOf(origins);
    const found: FieldErrors = {};
    if (!name.trim()) found.name = 'a name is required';
    allowedOrigins.forEach((o, i) => {
      if (!Origin.safeParse(o).success) found[`allowedOrigins.${i}`] = `"${o}" is not * or a URL such as https://shop.example.com`;
    });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await api.app.update({ name: name.trim(), allowedOrigins });
      toast({ message: 'App saved', tone: 'success' });
      await app.reload();
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  async function rotate(kind: SecretKind) {
    if (!window.confirm(`Rotate the ${SECRET_LABELS[kind].title.toLowerCase()}? The current one stops working at once.`)) return;
    try {
      const { secret } = await api.app.rotateSecret(kind);
      setRevealed((r) => ({ ...r, [kind]: secret }));
    } catch (err) {
      toast({ message: errorInfo(err).message, tone: 'danger' });
    }
  }

  async function createKey(event: FormEvent) {
    event.preventDefault();
    if (!newKey.name.trim()) return setKeyErrors({ name: 'a name is required' });
    try {
      const created = await api.app.createApiKey(newKey.name.trim());
      setNewKey({ name: '', key: created.key });
      setKeyErrors({});
      await keys.reload();
    } catch (err) {
      setKeyErrors(formErrorsOf(err));
    }
  }

  const originErrors = Object.entries(errors).filter(([k]) => k.startsWith('allowedOrigins')).map(([, m]) => m);

  return (
    <section className="fd-admin-page" aria-labelledby="app-title">
      <h2 id="app-title">App {app.data && <span className="fd-admin-muted">({app.data.id})</span>}</h2>
      <FormAlert messages={app.error ? [app.error] : []} />
      <form className="fd-admin-form" onSubmit={save} noValidate aria-label="App settings">
        <FormAlert messages={unplacedErrors(errors, ['name', 'allowedOrigins'])} />
        <div className="fd-admin-grid">
          <Field label="App name" error={errors.name}>
            <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Allowed origins" error={originErrors.join('; ') || undefined} hint="Pages that may embed the widget, one per line (https://shop.example.com), or * for any.">
            <textarea value={origins} onChange={(e) => setOrigins(e.target.value)} rows={4} />
          </Field>
        </div>
        <div className="fd-admin-actions">
          <Button type="submit" variant="primary">Save app</Button>
        </div>
      </form>

      <section className="fd-admin-subsection" aria-labelledby="secrets-title">
        <details className="fd-admin-disclosure">
        <summary><h3 id="secrets-title">Integrations: VTC and AnyChat secrets</h3></summary>
        <p className="fd-field__hint">Only for the VTC third-party user API and the AnyChat business gateway; most apps never need them. Visitor identity secrets (HMAC user hash, auth-v2) belong to each channel: see Channels.</p>
        <Table
          rows={APP_SECRET_KINDS}
          rowKey={(k) => k}
          columns={[
            { key: 'name', header: 'Secret', render: (k) => <><strong>{SECRET_LABELS[k].title}</strong><br /><span className="fd-admin-muted">{SECRET_LABELS[k].use}</span></> },
            { key: 'value', header: 'Value', render: (k) => <SecretOnce label={SECRET_LABELS[k].title} secret={revealed[k]} onDismiss={() => setRevealed((r) => ({ ...r, [k]: undefined }))} /> },
            { key: 'rotate', header: <span className="fd-visually-hidden">Actions</span>, align: 'end', render: (k) => <Button size="sm" variant="danger" onClick={() => void rotate(k)} aria-label={`Rotate ${SECRET_LABELS[k].title}`}>Rotate</Button> },
          ]}
        />
        </details>
      </section>

      <section className="fd-admin-subsection" aria-labelledby="keys-title">
        <h3 id="keys-title">Server-API keys</h3>
        {newKey.key && (
          <div className="fd-admin-notice" role="status">
            New key: <SecretOnce label="New API key" secret={newKey.key} onDismiss={() => setNewKey({ name: '' })} />
          </div>
        )}
        <Table
          rows={keys.data ?? []}
          rowKey={(k) => k.id}
          empty="No API key."
          columns={[
            { key: 'name', header: 'Name', render: (k) => k.name },
            { key: 'id', header: 'Key', render: (k) => <code>fdk_{k.id}.••••</code> },
            { key: 'created', header: 'Created', render: (k) => new Date(k.createdAt).toLocaleString() },
            { key: 'used', header: 'Last used', render: (k) => (k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never') },
            {
              key: 'x',
              header: <span className="fd-visually-hidden">Actions</span>,
              align: 'end',
              render: (k) => (
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => {
                    if (window.confirm(`Revoke the key ${k.name}?`)) void api.app.revokeApiKey(k.id).then(keys.reload, (err: unknown) => toast({ message: errorInfo(err).message, tone: 'danger' }));
                  }}
                >
                  Revoke
                </Button>
              ),
            },
          ]}
        />
        <form className="fd-admin-form" onSubmit={createKey} noValidate aria-label="New API key">
          <div className="fd-admin-row">
            <Field label="New key name" error={keyErrors.name ?? keyErrors['']}>
              <input value={newKey.name} maxLength={100} onChange={(e) => setNewKey({ ...newKey, name: e.target.value })} />
            </Field>
            <Button type="submit" variant="primary">Create key</Button>
          </div>
        </form>
      </section>
    </section>
  );
}
