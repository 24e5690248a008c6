import type { ChannelConnection, ConnectedChannel } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field, useToast } from '../../../ui/index.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { errorInfo } from '../../admin/state/form-errors.ts';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { channelAdminStrings, type ChannelAdminStrings } from '../locales/index.ts';

type Provider = ChannelConnection['provider'];

type CredentialName = keyof ChannelAdminStrings['connections']['credentials'];

/** Each provider's credentials, by name (their labels are in the catalogue). */
const PROVIDERS: readonly { id: Provider; label: string; credentials: readonly { name: CredentialName; isOptional?: boolean }[] }[] = [
  { id: 'whatsapp', label: 'WhatsApp', credentials: [{ name: 'accessToken' }, { name: 'appSecret' }, { name: 'businessAccountId', isOptional: true }, { name: 'verifyToken', isOptional: true }] },
  { id: 'messenger', label: 'Messenger', credentials: [{ name: 'pageAccessToken' }, { name: 'appSecret' }, { name: 'verifyToken', isOptional: true }] },
  { id: 'telegram', label: 'Telegram', credentials: [{ name: 'botToken' }, { name: 'secretToken', isOptional: true }] },
  { id: 'viber', label: 'Viber', credentials: [{ name: 'authToken' }, { name: 'senderName', isOptional: true }] },
];

/**
 * Connects a new channel to WhatsApp, Messenger, Telegram or Viber. The credentials (and the
 * tokens generated for the provider) are shown once, right after; the server keeps them sealed.
 */
export function ConnectChannelForm({ api, onConnected }: { api: AdminApi; onConnected: (channelId: string) => void }) {
  const [provider, setProvider] = useState<Provider>('whatsapp');
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [apiBaseUrl, setApiBaseUrl] = useState('');
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [connected, setConnected] = useState<ConnectedChannel>();
  const spec = PROVIDERS.find((p) => p.id === provider)!;
  const t = channelAdminStrings().connections;
  const { common } = adminStrings();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const given = Object.fromEntries(spec.credentials.flatMap((c) => (credentials[c.name]?.trim() ? [[c.name, credentials[c.name]!.trim()]] : [])));
    try {
      const result = await api.connections.connect({ provider, name: name.trim(), accountId: accountId.trim(), credentials: given, ...(apiBaseUrl.trim() ? { apiBaseUrl: apiBaseUrl.trim() } : {}) });
      setConnected(result);
      setError(undefined);
      setCredentials({});
      setName('');
      setAccountId('');
      onConnected(result.channelId);
    } catch (err) {
      setError(errorInfo(err).message);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t.formLabel} data-testid="connect-channel">
      <h4>{t.title}</h4>
      <FormAlert messages={error ? [error] : []} />
      <Field label={t.provider}>
        <select value={provider} onChange={(e) => { setProvider(e.target.value as Provider); setCredentials({}); }}>
          {PROVIDERS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </select>
      </Field>
      <Field label={common.name}><input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} /></Field>
      <Field label={t.accounts[provider]}><input value={accountId} maxLength={200} onChange={(e) => setAccountId(e.target.value)} /></Field>
      {spec.credentials.map((c) => (
        <Field key={`${provider} ${c.name}`} label={t.credentials[c.name]}>
          <input type="password" autoComplete="off" value={credentials[c.name] ?? ''} maxLength={4000} onChange={(e) => setCredentials({ ...credentials, [c.name]: e.target.value })} />
        </Field>
      ))}
      <Field label={t.apiBaseUrl}><input value={apiBaseUrl} maxLength={2000} onChange={(e) => setApiBaseUrl(e.target.value)} /></Field>
      <Button type="submit" size="sm" variant="primary">{t.connect}</Button>
      {connected && (
        <div className="fd-admin-once" role="status" data-testid="connected-once">
          <p>{t.connected}</p>
          <dl>
            <dt>{t.webhookUrl}</dt>
            <dd><code>{connected.webhookUrl}</code></dd>
            {Object.entries(connected.credentials).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd><code>{value}</code></dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </form>
  );
}

/** A connected channel: its provider, account and webhook URL, a test message, and (WhatsApp) the template sync. */
export function ConnectionDetail({ api, connection }: { api: AdminApi; connection: ChannelConnection }) {
  const toast = useToast();
  const [to, setTo] = useState('');
  const [result, setResult] = useState<string>();
  const t = channelAdminStrings().connections;

  async function sendTest(event: FormEvent) {
    event.preventDefault();
    try {
      const answer = await api.connections.testMessage(connection.channelId, to.trim());
      setResult(answer.ok ? format(t.sent, { id: answer.providerMessageId ?? '' }) : format(t.refused, { reason: answer.reason ?? '' }));
    } catch (err) {
      setResult(errorInfo(err).message);
    }
  }

  async function syncTemplates() {
    try {
      const templates = await api.connections.syncTemplates(connection.channelId);
      toast({ message: format(t.synced, { count: templates.length }), tone: 'success' });
    } catch (err) {
      toast({ message: format(t.syncFailed, { error: errorInfo(err).message }), tone: 'danger' });
    }
  }

  const label = PROVIDERS.find((p) => p.id === connection.provider)?.label ?? connection.provider;
  return (
    <section aria-label={t.detailLabel} data-testid="connection-detail">
      <h4>{label}</h4>
      <dl>
        <dt>{t.account}</dt>
        <dd>{connection.accountId}</dd>
        <dt>{t.webhookUrl}</dt>
        <dd><code>{connection.webhookUrl}</code></dd>
        <dt>{t.credentialsTitle}</dt>
        <dd>{format(t.notShownAgain, { names: connection.credentialNames.join(', ') })}</dd>
      </dl>
      <form onSubmit={sendTest} className="fd-admin-inline" aria-label={t.testLabel}>
        <Field label={t.testTo}>
          <input value={to} maxLength={200} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Button type="submit" size="sm" disabled={!to.trim()}>{t.sendTest}</Button>
      </form>
      {result && <p role="status" data-testid="test-message-result">{result}</p>}
      {connection.provider === 'whatsapp' && <Button size="sm" onClick={() => void syncTemplates()}>{t.sync}</Button>}
      <RotateCredentialsForm api={api} connection={connection} />
    </section>
  );
}

/** Rotates one credential of a connection; the whole set is shown once, right after. */
function RotateCredentialsForm({ api, connection }: { api: AdminApi; connection: ChannelConnection }) {
  const names = PROVIDERS.find((p) => p.id === connection.provider)?.credentials ?? [];
  const [name, setName] = useState(names[0]?.name ?? '');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [rotated, setRotated] = useState<Record<string, string>>();
  const t = channelAdminStrings().connections;

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const result = await api.connections.rotateCredentials(connection.channelId, { [name]: value.trim() });
      setRotated(result.credentials);
      setError(undefined);
      setValue('');
    } catch (err) {
      setError(errorInfo(err).message);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="fd-admin-inline" aria-label={t.rotateLabel} data-testid="rotate-credentials">
      <FormAlert messages={error ? [error] : []} />
      <Field label={t.credentialToRotate}>
        <select value={name} onChange={(e) => setName(e.target.value)}>
          {names.map((c) => <option key={c.name} value={c.name}>{t.credentials[c.name]}</option>)}
        </select>
      </Field>
      <Field label={t.newValue}>
        <input type="password" autoComplete="off" value={value} maxLength={4000} onChange={(e) => setValue(e.target.value)} />
      </Field>
      <Button type="submit" size="sm" disabled={!value.trim()}>{adminStrings().common.rotate}</Button>
      {rotated && (
        <div className="fd-admin-once" role="status" data-testid="rotated-once">
          <p>{t.rotated}</p>
          <dl>
            {Object.entries(rotated).map(([key, shown]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd><code>{shown}</code></dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </form>
  );
}
