import { constantTimeEqual, sha256Hex } from '../../platform/crypto/index.ts';
import type { App } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import { TenancyError } from './tenancy.errors.ts';
import { createReadThroughCache } from '../../platform/read-through-cache.ts';
import { changeNumericId, insertWithNumericId, numberOrUndefined } from '../../platform/storage/numeric-ids.ts';

export interface AppSecrets {
  /** VTC third-party user API: md5("appId=…&timestamp=…&appToken=…"). */
  appToken: string;
  /** AnyChat gateway MD5 signatures. */
  gatewaySecret: string;
  /** Widget HMAC user hash (identity verification). */
  identitySecret: string;
}

export type AppWithSecrets = App & { secrets: AppSecrets };

export interface ApiKeyView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const API_KEY_PREFIX = 'fdk_';

function toApp(row: Database['apps']): App {
  return { id: row.id, numericId: Number(row.numeric_id), name: row.name, allowedOrigins: JSON.parse(row.allowed_origins), createdAt: row.created_at };
}

function hashKeySecret(secret: string): string {
  return sha256Hex(secret);
}

/** How long a node answers a WebSocket upgrade from the app it read before (a change on another node or by the CLI is seen within it). */
const UPGRADE_APP_CACHE_MS = 5000;

/** An app's row (read for visitor sessions, channel pages, the SDK's numeric id and upgrades), compiled once. */
const selectApp = compiledOnce<{ id: string }, Database['apps']>((db, a) => db.selectFrom('apps').selectAll().where('id', '=', a.id));

export function createTenancyService({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;

  async function findApp(appId: string): Promise<App | undefined> {
    const [row] = (await selectApp(db, { id: appId })).rows;
    return row && toApp(row);
  }

  /** Apps read for upgrades (an unknown app is read again every time). */
  const upgradeApps = createReadThroughCache<string, App | undefined>({ ttlMs: UPGRADE_APP_CACHE_MS, now: () => performance.now(), keep: (app) => app !== undefined });

  async function getApp(appId: string): Promise<App> {
    const app = await findApp(appId);
    if (!app) throw new TenancyError('FD_APP_NOT_FOUND', `app ${appId} not found`);
    return app;
  }

  return {
    getApp,
    findApp,

    /**
     * `findApp` for a WebSocket upgrade: the app as read within the last few seconds (a connect storm
     * reads it once, not once a socket). An unknown app is read again every time.
     */
    findAppForUpgrade: (appId: string): Promise<App | undefined> => upgradeApps.get(appId, () => findApp(appId)),

    /** The AnyChat gateway MD5 secret of an app, or undefined for an unknown app (compat surfaces). */
    async gatewaySecretOf(appId: string): Promise<string | undefined> {
      const row = await db.selectFrom('apps').select('gateway_secret').where('id', '=', appId).executeTakeFirst();
      return row?.gateway_secret;
    },

    /** The VTC app token of an app (md5 secrets of the VTC third-party user API), or undefined for an unknown app. */
    async appTokenOf(appId: string): Promise<string | undefined> {
      const row = await db.selectFrom('apps').select('app_token').where('id', '=', appId).executeTakeFirst();
      return row?.app_token;
    },

    /** Every app's id (the few tasks that visit each app). */
    async appIds(): Promise<string[]> {
      return (await db.selectFrom('apps').select('id').orderBy('id').execute()).map((row) => row.id);
    },

    /** True once any app exists (an empty database gets the demo app). */
    async hasApps(): Promise<boolean> {
      return (await db.selectFrom('apps').select('id').limit(1).executeTakeFirst()) !== undefined;
    },

    async createApp(input: { id?: string | undefined; name: string; allowedOrigins?: string[]; numericId?: number | undefined }): Promise<AppWithSecrets> {
      const id = input.id ?? newId('app');
      // An app id taken is told apart from a numeric id taken before the insert (both are unique violations).
      if (await db.selectFrom('apps').select('id').where('id', '=', id).executeTakeFirst()) throw new TenancyError('FD_APP_ID_TAKEN', `app id ${id} is taken`);
      const row = await insertWithNumericId(storage, 'apps', {
        given: input.numericId,
        largest: async (tx) => numberOrUndefined((await tx.selectFrom('apps').select((eb) => eb.fn.max('numeric_id').as('n')).executeTakeFirst())?.n),
        isTaken: async (tx, n) => (await tx.selectFrom('apps').select('id').where('numeric_id', '=', n).executeTakeFirst()) !== undefined,
        insert: async (tx, numericId) => {
          const fresh: Database['apps'] = {
            id,
            numeric_id: numericId,
            name: input.name,
            allowed_origins: JSON.stringify(input.allowedOrigins ?? []),
            app_token: newSecret(),
            gateway_secret: newSecret(),
            identity_secret: newSecret(),
            created_at: clock.now(),
          };
          await tx.insertInto('apps').values(fresh).execute();
          return fresh;
        },
      }).catch((err: unknown) => {
        if (storage.isUniqueViolation(err)) throw new TenancyError('FD_APP_ID_TAKEN', `app id ${id} is taken`);
        throw err;
      });
      return { ...toApp(row), secrets: { appToken: row.app_token, gatewaySecret: row.gateway_secret, identitySecret: row.identity_secret } };
    },

    async updateApp(appId: string, patch: { name?: string | undefined; allowedOrigins?: string[] | undefined; numericId?: number | undefined }): Promise<App> {
      const app = await getApp(appId);
      if (patch.numericId !== undefined && patch.numericId !== app.numericId) {
        const numericId = patch.numericId;
        await changeNumericId(storage, 'apps', numericId, {
          isTaken: async (tx, n) => (await tx.selectFrom('apps').select('id').where('numeric_id', '=', n).executeTakeFirst()) !== undefined,
          update: async (tx) => void (await tx.updateTable('apps').set({ numeric_id: numericId }).where('id', '=', appId).execute()),
        });
      }
      const values: Partial<Database['apps']> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.allowedOrigins !== undefined) values.allowed_origins = JSON.stringify(patch.allowedOrigins);
      if (Object.keys(values).length > 0) await db.updateTable('apps').set(values).where('id', '=', appId).execute();
      upgradeApps.forget(appId);
      return getApp(appId);
    },

    /**
     * Browsers send Origin on WebSocket upgrades and cross-site requests. Allowed: the
     * server's own public origin, an origin on the app's list, or any when the list has `*`.
     * Clients that send no Origin (servers, native apps) are not browsers and pass.
     */
    isOriginAllowed(app: App, origin: string | undefined, publicUrl: string): boolean {
      if (origin === undefined || isOwnOrigin(origin, publicUrl)) return true;
      return app.allowedOrigins.some((allowed) => allowed === '*' || normalizeOrigin(allowed) === origin);
    },

    /** Replaces one of the app's secrets with a new one and answers it (it is not shown again). */
    async rotateSecret(appId: string, kind: 'appToken' | 'gatewaySecret'): Promise<string> {
      await getApp(appId);
      const secret = newSecret();
      const column = ({ appToken: 'app_token', gatewaySecret: 'gateway_secret' } as const)[kind];
      await db.updateTable('apps').set({ [column]: secret }).where('id', '=', appId).execute();
      return secret;
    },

    async createApiKey(appId: string, name: string): Promise<ApiKeyView & { key: string }> {
      await getApp(appId);
      const id = newId('key');
      const secret = newSecret();
      const createdAt = clock.now();
      await db
        .insertInto('api_keys')
        .values({ id, app_id: appId, name, key_hash: hashKeySecret(secret), created_at: createdAt, last_used_at: null })
        .execute();
      return { id, name, createdAt, lastUsedAt: null, key: `${API_KEY_PREFIX}${id}.${secret}` };
    },

    async listApiKeys(appId: string): Promise<ApiKeyView[]> {
      const rows = await db.selectFrom('api_keys').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
    },

    async deleteApiKey(appId: string, keyId: string): Promise<void> {
      const result = await db.deleteFrom('api_keys').where('app_id', '=', appId).where('id', '=', keyId).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new TenancyError('FD_REQ_NOT_FOUND', `api key ${keyId} not found`);
    },

    /** Resolves `fdk_<id>.<secret>`; the secret is compared by hash in constant time. */
    async verifyApiKey(key: string): Promise<{ appId: string; keyId: string } | undefined> {
      if (!key.startsWith(API_KEY_PREFIX)) return undefined;
      const [id, secret] = key.slice(API_KEY_PREFIX.length).split('.');
      if (!id || !secret) return undefined;
      const row = await db.selectFrom('api_keys').select(['app_id', 'key_hash']).where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      if (!constantTimeEqual(row.key_hash, hashKeySecret(secret))) return undefined;
      await db.updateTable('api_keys').set({ last_used_at: clock.now() }).where('id', '=', id).execute();
      return { appId: row.app_id, keyId: id };
    },
  };
}

function normalizeOrigin(value: string): string {
  try {
    const url = new URL(value);
    // NOTE: a browser extension's origin (chrome-extension://<id>, the co-browse extension's
    // socket) has no origin in WHATWG URL terms ('null'); browsers send it as scheme://host.
    return url.origin === 'null' && url.host ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return value;
  }
}

export type TenancyService = ReturnType<typeof createTenancyService>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A page of this server: at its public URL or, when that is a loopback address, at another loopback
 * name on the same port (the default public URL is http://localhost:8080; a newcomer opens
 * http://127.0.0.1:8080, and only this machine's process on that port can serve it).
 */
function isOwnOrigin(origin: string, publicUrl: string): boolean {
  const own = new URL(publicUrl);
  if (origin === own.origin) return true;
  if (!LOOPBACK_HOSTS.has(own.hostname) || !URL.canParse(origin)) return false;
  const page = new URL(origin);
  return LOOPBACK_HOSTS.has(page.hostname) && page.protocol === own.protocol && page.port === own.port;
}
