import { ConnectChannelBody, RotateCredentialsBody, type ChannelConnection, type ConnectChannelInput, type ConnectedChannel, type RotateCredentialsInput } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { randomToken, type SecretBox } from '../../platform/crypto/index.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { ADAPTERS } from './adapters/adapters.ts';
import { PROVIDERS, type ConnectionView, type Credentials, type Provider } from './adapters/channel-adapter.ts';
import { ChannelError } from './channels.errors.ts';
import type { ChannelsService } from './channels.service.ts';

type ConnectionRow = Database['channel_connections'];

/** How long a node uses a connection read from the database (credentials changed elsewhere are seen within it). */
const CONNECTION_CACHE_MS = 5000;

/** Tokens we make up when the admin leaves them out: the provider is then told ours. */
const GENERATED: Partial<Record<Provider, readonly string[]>> = { whatsapp: ['verifyToken'], messenger: ['verifyToken'], telegram: ['secretToken'] };

/** Credentials without which a provider cannot be reached or its webhooks checked. */
const REQUIRED: Record<Provider, readonly string[]> = {
  whatsapp: ['accessToken', 'appSecret'],
  messenger: ['pageAccessToken', 'appSecret'],
  telegram: ['botToken'],
  viber: ['authToken'],
};

const isProvider = (value: string): value is Provider => (PROVIDERS as readonly string[]).includes(value);

/**
 * Channels connected to messaging providers: the `channels` row (routing settings) and its
 * connection (provider, account, API base URL, credentials sealed with the secret box). Credentials
 * are answered once, by the connect; afterwards only their names.
 */
export function createConnections(deps: {
  storage: Storage;
  clock: Clock;
  channels: Pick<ChannelsService, 'createChannel' | 'deleteChannel'>;
  secretBox: SecretBox;
  publicUrl: string;
  /** The SSRF policy of URLs we call (the provider's API base URL): answers it normalized or throws. */
  checkTargetUrl: (url: string) => string;
}) {
  const { storage, clock, secretBox } = deps;
  const { db } = storage;
  const cache = new Map<string, { view: ConnectionView | undefined; untilMs: number }>();

  function toView(row: ConnectionRow): ConnectionView {
    if (!isProvider(row.provider)) throw new Error(`unknown provider ${row.provider}`);
    return { channelId: row.channel_id, appId: row.app_id, provider: row.provider, accountId: row.account_id, apiBaseUrl: row.api_base_url, credentials: JSON.parse(secretBox.open(row.credentials)) as Credentials };
  }

  function toConnection(row: ConnectionRow): ChannelConnection {
    const view = toView(row);
    return {
      channelId: row.channel_id,
      provider: view.provider,
      accountId: row.account_id,
      apiBaseUrl: row.api_base_url,
      webhookUrl: `${deps.publicUrl}/channels/${view.provider}/${row.channel_id}/webhook`,
      credentialNames: Object.keys(view.credentials).sort(),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Every required credential present, none unknown to the provider. */
  function checkCredentials(provider: Provider, credentials: Readonly<Record<string, string>>): void {
    const missing = REQUIRED[provider].filter((name) => !credentials[name]);
    if (missing.length) throw new ChannelError('FD_REQ_INVALID', `invalid connection: /credentials: ${provider} needs ${missing.join(', ')}`);
    const unknown = Object.keys(credentials).filter((name) => !ADAPTERS[provider].credentialNames.includes(name) && name !== 'senderName');
    if (unknown.length) throw new ChannelError('FD_REQ_INVALID', `invalid connection: /credentials: unknown for ${provider}: ${unknown.join(', ')}`);
  }

  return {
    /** A channel's connection, by the channel id a webhook URL carries (any app: channel ids are unguessable). */
    async byChannel(channelId: string, from: DbOrTx = db): Promise<ConnectionView | undefined> {
      const now = clock.now();
      const hit = cache.get(channelId);
      if (hit && hit.untilMs > now) return hit.view;
      const row = await from.selectFrom('channel_connections').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
      const view = row && toView(row);
      cache.set(channelId, { view, untilMs: now + CONNECTION_CACHE_MS });
      return view;
    },

    async connect(appId: string, input: ConnectChannelInput): Promise<ConnectedChannel> {
      const parsed = ConnectChannelBody.safeParse(input);
      if (!parsed.success) throw new ChannelError('FD_REQ_INVALID', `invalid connection: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
      const body = parsed.data;
      const adapter = ADAPTERS[body.provider];
      checkCredentials(body.provider, body.credentials);
      const credentials: Record<string, string> = { ...body.credentials };
      for (const name of GENERATED[body.provider] ?? []) credentials[name] ??= randomToken(24, 'base64url');
      let apiBaseUrl: string;
      try {
        apiBaseUrl = deps.checkTargetUrl(body.apiBaseUrl ?? adapter.defaultApiBaseUrl).replace(/\/+$/, '');
      } catch (err) {
        throw new ChannelError('FD_REQ_INVALID', `invalid connection: /apiBaseUrl: ${(err as Error).message}`);
      }
      const channel = await deps.channels.createChannel(appId, { name: body.name, queueId: body.queueId });
      const now = clock.now();
      const row: ConnectionRow = {
        channel_id: channel.id,
        app_id: appId,
        provider: body.provider,
        account_id: body.accountId,
        api_base_url: apiBaseUrl,
        credentials: secretBox.seal(JSON.stringify(credentials)),
        created_at: now,
        updated_at: now,
      };
      try {
        await db.insertInto('channel_connections').values(row).execute();
      } catch (err) {
        await deps.channels.deleteChannel(appId, channel.id).catch(() => {});
        throw err;
      }
      cache.delete(channel.id);
      return { ...toConnection(row), credentials };
    },

    /**
     * Rotates credentials (a new access token, app secret, bot token…): the ones given replace
     * theirs, the others are kept; answered once with the whole set, like a connect. Other nodes
     * use the new ones within their connection cache's few seconds.
     */
    async rotateCredentials(appId: string, channelId: string, input: RotateCredentialsInput): Promise<ConnectedChannel> {
      const parsed = RotateCredentialsBody.safeParse(input);
      if (!parsed.success) throw new ChannelError('FD_REQ_INVALID', `invalid credentials: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
      if (Object.keys(parsed.data.credentials).length === 0) throw new ChannelError('FD_REQ_INVALID', 'invalid credentials: /credentials: give at least one');
      return db.transaction().execute(async (tx) => {
        const row = await storage.forUpdate(tx.selectFrom('channel_connections').selectAll().where('app_id', '=', appId).where('channel_id', '=', channelId)).executeTakeFirst();
        if (!row) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} is not connected to a provider`);
        const view = toView(row);
        const credentials: Record<string, string> = { ...view.credentials, ...parsed.data.credentials };
        checkCredentials(view.provider, credentials);
        const updated: ConnectionRow = { ...row, credentials: secretBox.seal(JSON.stringify(credentials)), updated_at: clock.now() };
        await tx.updateTable('channel_connections').set({ credentials: updated.credentials, updated_at: updated.updated_at }).where('channel_id', '=', channelId).execute();
        cache.delete(channelId);
        return { ...toConnection(updated), credentials };
      });
    },

    async list(appId: string): Promise<ChannelConnection[]> {
      const rows = await db.selectFrom('channel_connections').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
      return rows.map(toConnection);
    },

    async get(appId: string, channelId: string): Promise<ChannelConnection> {
      const row = await db.selectFrom('channel_connections').selectAll().where('app_id', '=', appId).where('channel_id', '=', channelId).executeTakeFirst();
      if (!row) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} is not connected to a provider`);
      return toConnection(row);
    },

    /** The connection of a channel of this app, credentials opened (the send job, the test message). */
    async viewOf(appId: string, channelId: string): Promise<ConnectionView | undefined> {
      const view = await this.byChannel(channelId);
      return view?.appId === appId ? view : undefined;
    },
  };
}

export type Connections = ReturnType<typeof createConnections>;
