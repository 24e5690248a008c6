import type { ChannelConnection, ConnectedChannel } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field, useToast } from '../../../ui/index.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { errorInfo } from '../../admin/state/form-errors.ts';

type Provider = ChannelConnection['provider'];

const PROVIDERS: readonly { id: Provider; label: string; account: string; credentials: readonly { name: string; label: string; isOptional?: boolean }[] }[] = [
  { id: 'whatsapp', label: 'WhatsApp', account: 'Phone number id', credentials: [{ name: 'accessToken', label: 'Access token' }, { name: 'appSecret', label: 'App secret' }, { name: 'businessAccountId', label: 'WhatsApp Business Account id (templates)', isOptional: true }, { name: 'verifyToken', label: 'Verify token (generated if empty)', isOptional: true }] },
  { id: 'messenger', label: 'Messenger', account: 'Facebook page id', credentials: [{ name: 'pageAccessToken', label: 'Page access token' }, { name: 'appSecret', label: 'App secret' }, { name: 'verifyToken', label: 'Verify token (generated if empty)', isOptional: true }] },
  { id: 'telegram', label: 'Telegram', account: "Bot's name", credentials: [{ name: 'botToken', label: 'Bot token' }, { name: 'secretToken', label: 'Secret token (generated if empty)', isOptional: true }] },
  { id: 'viber', label: 'Viber', account: "Account's name", credentials: [{ name: 'authToken', label: 'Auth token' }, { name: 'senderName', label: 'Sender name', isOptional: true }] },
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
    <form onSubmit={submit} noValidate aria-label="Connect a messaging channel" data-testid="connect-channel">
      <h4>Connect WhatsApp, Messenger, Telegram or Viber</h4>
      <FormAlert messages={error ? [error] : []} />
      <Field label="Provider">
        <select value={provider} onChange={(e) => { setProvider(e.target.value as Provider); setCredentials({}); }}>
          {PROVIDERS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </select>
      </Field>
      <Field label="Name"><input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} /></Field>
      <Field label={spec.account}><input value={accountId} maxLength={200} onChange={(e) => setAccountId(e.target.value)} /></Field>
      {spec.credentials.map((c) => (
        <Field key={`${provider} ${c.name}`} label={c.label}>
          <input type="password" autoComplete="off" value={credentials[c.name] ?? ''} maxLength={4000} onChange={(e) => setCredentials({ ...credentials, [c.name]: e.target.value })} />
        </Field>
      ))}
      <Field label="API base URL (optional: a proxy)"><input value={apiBaseUrl} maxLength={2000} onChange={(e) => setApiBaseUrl(e.target.value)} /></Field>
      <Button type="submit" size="sm" variant="primary">Connect</Button>
      {connected && (
        <div className="fd-admin-once" role="status" data-testid="connected-once">
          <p>Connected. Enter this webhook URL at the provider. The credentials are shown this once:</p>
          <dl>
            <dt>Webhook URL</dt>
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

  async function sendTest(event: FormEvent) {
    event.preventDefault();
    try {
      const answer = await api.connections.testMessage(connection.channelId, to.trim());
      setResult(answer.ok ? `Sent (${answer.providerMessageId}).` : `Refused: ${answer.reason}`);
    } catch (err) {
      setResult(errorInfo(err).message);
    }
  }

  async function syncTemplates() {
    try {
      const templates = await api.connections.syncTemplates(connection.channelId);
      toast({ message: `${templates.length} templates synced`, tone: 'success' });
    } catch (err) {
      toast({ message: `Could not sync: ${errorInfo(err).message}`, tone: 'danger' });
    }
  }

  const label = PROVIDERS.find((p) => p.id === connection.provider)?.label ?? connection.provider;
  return (
    <section aria-label="Messaging provider" data-testid="connection-detail">
      <h4>{label}</h4>
      <dl>
        <dt>Account</dt>
        <dd>{connection.accountId}</dd>
        <dt>Webhook URL</dt>
        <dd><code>{connection.webhookUrl}</code></dd>
        <dt>Credentials</dt>
        <dd>{connection.credentialNames.join(', ')} (not shown again)</dd>
      </dl>
      <form onSubmit={sendTest} className="fd-admin-inline" aria-label="Send a test message">
        <Field label="Send a test message to (phone number, PSID, chat id or Viber id)">
          <input value={to} maxLength={200} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Button type="submit" size="sm" disabled={!to.trim()}>Send test message</Button>
      </form>
      {result && <p role="status" data-testid="test-message-result">{result}</p>}
      {connection.provider === 'whatsapp' && <Button size="sm" onClick={() => void syncTemplates()}>Sync templates from WhatsApp</Button>}
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
    <form onSubmit={submit} noValidate className="fd-admin-inline" aria-label="Rotate a credential" data-testid="rotate-credentials">
      <FormAlert messages={error ? [error] : []} />
      <Field label="Credential to rotate">
        <select value={name} onChange={(e) => setName(e.target.value)}>
          {names.map((c) => <option key={c.name} value={c.name}>{c.label}</option>)}
        </select>
      </Field>
      <Field label="New value">
        <input type="password" autoComplete="off" value={value} maxLength={4000} onChange={(e) => setValue(e.target.value)} />
      </Field>
      <Button type="submit" size="sm" disabled={!value.trim()}>Rotate</Button>
      {rotated && (
        <div className="fd-admin-once" role="status" data-testid="rotated-once">
          <p>Rotated. Tell the provider the new value too. The credentials are shown this once:</p>
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
