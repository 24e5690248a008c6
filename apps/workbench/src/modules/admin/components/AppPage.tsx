import { APP_SECRET_KINDS, Origin } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Field, Table, useToast } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { errorInfo, formErrorsOf, unplacedErrors, type FieldErrors } from '../state/form-errors.ts';
import { listOf } from '../state/numbers.ts';
import { FormAlert } from './FormAlert.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { formatDateTime } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';

type SecretKind = (typeof APP_SECRET_KINDS)[number];
function secretLabels(): Record<SecretKind, { title: string; use: string }> {
  const t = adminStrings().app;
  return { appToken: { title: t.appToken, use: t.appTokenUse }, gatewaySecret: { title: t.gatewaySecret, use: t.gatewaySecretUse } };
}

/** The app (SPEC M1): name, allowed origins, secrets (rotate, shown once), server-API keys. */
export function AppPage({ api }: { api: AdminApi }) {
  const toast = useToast();
  const { app: t, common } = adminStrings();
  const SECRET_LABELS = secretLabels();
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
    if (!name.trim()) found.name = common.nameRequired;
    allowedOrigins.forEach((o, i) => {
      if (!Origin.safeParse(o).success) found[`allowedOrigins.${i}`] = format(t.badOrigin, { origin: o });
    });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await api.app.update({ name: name.trim(), allowedOrigins });
      toast({ message: t.saved, tone: 'success' });
      await app.reload();
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  async function rotate(kind: SecretKind) {
    if (!window.confirm(format(t.rotateConfirm, { secret: SECRET_LABELS[kind].title.toLowerCase() }))) return;
    try {
      const { secret } = await api.app.rotateSecret(kind);
      setRevealed((r) => ({ ...r, [kind]: secret }));
    } catch (err) {
      toast({ message: errorInfo(err).message, tone: 'danger' });
    }
  }

  async function createKey(event: FormEvent) {
    event.preventDefault();
    if (!newKey.name.trim()) return setKeyErrors({ name: common.nameRequired });
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
      <h2 id="app-title">{t.title} {app.data && <span className="fd-admin-muted">({app.data.id})</span>}</h2>
      <FormAlert messages={app.error ? [app.error] : []} />
      <form className="fd-admin-form" onSubmit={save} noValidate aria-label={t.settingsLabel}>
        <FormAlert messages={unplacedErrors(errors, ['name', 'allowedOrigins'])} />
        <div className="fd-admin-grid">
          <Field label={t.name} error={errors.name}>
            <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label={t.origins} error={originErrors.join('; ') || undefined} hint={t.originsHint}>
            <textarea value={origins} onChange={(e) => setOrigins(e.target.value)} rows={4} />
          </Field>
        </div>
        <div className="fd-admin-actions">
          <Button type="submit" variant="primary">{t.save}</Button>
        </div>
      </form>

      <section className="fd-admin-subsection" aria-labelledby="secrets-title">
        <details className="fd-admin-disclosure">
        <summary><h3 id="secrets-title">{t.secretsTitle}</h3></summary>
        <p className="fd-field__hint">{t.secretsHint}</p>
        <Table
          rows={APP_SECRET_KINDS}
          rowKey={(k) => k}
          columns={[
            { key: 'name', header: t.secretColumn, render: (k) => <><strong>{SECRET_LABELS[k].title}</strong><br /><span className="fd-admin-muted">{SECRET_LABELS[k].use}</span></> },
            { key: 'value', header: t.valueColumn, render: (k) => <SecretOnce label={SECRET_LABELS[k].title} secret={revealed[k]} onDismiss={() => setRevealed((r) => ({ ...r, [k]: undefined }))} /> },
            { key: 'rotate', header: <span className="fd-visually-hidden">{common.actions}</span>, align: 'end', render: (k) => <Button size="sm" variant="danger" onClick={() => void rotate(k)} aria-label={format(t.rotateLabel, { secret: SECRET_LABELS[k].title })}>{common.rotate}</Button> },
          ]}
        />
        </details>
      </section>

      <section className="fd-admin-subsection" aria-labelledby="keys-title">
        <h3 id="keys-title">{t.keysTitle}</h3>
        {newKey.key && (
          <div className="fd-admin-notice" role="status">
            {t.newKeyNotice} <SecretOnce label={t.newKeyLabel} secret={newKey.key} onDismiss={() => setNewKey({ name: '' })} />
          </div>
        )}
        <Table
          rows={keys.data ?? []}
          rowKey={(k) => k.id}
          empty={t.noKey}
          columns={[
            { key: 'name', header: common.name, render: (k) => k.name },
            { key: 'id', header: t.keyColumn, render: (k) => <code>fdk_{k.id}.••••</code> },
            { key: 'created', header: t.createdColumn, render: (k) => formatDateTime(k.createdAt) },
            { key: 'used', header: t.lastUsedColumn, render: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt) : common.never) },
            {
              key: 'x',
              header: <span className="fd-visually-hidden">{common.actions}</span>,
              align: 'end',
              render: (k) => (
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => {
                    if (window.confirm(format(t.revokeConfirm, { name: k.name }))) void api.app.revokeApiKey(k.id).then(keys.reload, (err: unknown) => toast({ message: errorInfo(err).message, tone: 'danger' }));
                  }}
                >
                  {t.revoke}
                </Button>
              ),
            },
          ]}
        />
        <form className="fd-admin-form" onSubmit={createKey} noValidate aria-label={t.newKeyLabel}>
          <div className="fd-admin-row">
            <Field label={t.newKeyName} error={keyErrors.name ?? keyErrors['']}>
              <input value={newKey.name} maxLength={100} onChange={(e) => setNewKey({ ...newKey, name: e.target.value })} />
            </Field>
            <Button type="submit" variant="primary">{t.createKey}</Button>
          </div>
        </form>
      </section>
    </section>
  );
}
