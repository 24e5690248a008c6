import type { DataPushSettings, PutDataPushInput } from '@frontdesk/protocol';
import { PutDataPushBody } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { checkTargetUrl, type TargetPolicy } from '../webhooks/index.ts';
import { ReportsError } from './reports.errors.ts';

export type DataPushRow = Database['data_push_settings'];

/** How the push authenticates, with its secrets: only the sender sees this. */
export type PushAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string };

export function authOf(row: DataPushRow): PushAuth {
  if (row.auth_kind === 'basic') return { kind: 'basic', username: row.username ?? '', password: row.password ?? '' };
  if (row.auth_kind === 'oauth2') return { kind: 'oauth2', tokenUrl: row.token_url ?? '', clientId: row.client_id ?? '', clientSecret: row.client_secret ?? '' };
  return { kind: 'none' };
}

/** The settings as shown: secrets never leave the server, only whether they are set. */
function toSettings(row: DataPushRow): DataPushSettings {
  const auth: DataPushSettings['auth'] =
    row.auth_kind === 'basic'
      ? { kind: 'basic', username: row.username ?? '', hasPassword: !!row.password }
      : row.auth_kind === 'oauth2'
        ? { kind: 'oauth2', tokenUrl: row.token_url ?? '', clientId: row.client_id ?? '', hasClientSecret: !!row.client_secret }
        : { kind: 'none' };
  return { url: row.url, enabled: row.enabled === 1, auth, updatedAt: row.updated_at };
}

export function findPushSettings(db: DbOrTx, appId: string): Promise<DataPushRow | undefined> {
  return db.selectFrom('data_push_settings').selectAll().where('app_id', '=', appId).executeTakeFirst();
}

/** Per-app TCCC data push settings (SPEC M37): one receiver URL and its authentication. */
export function createDataPushSettings({ storage, clock, policy }: { storage: Storage; clock: Clock; policy: TargetPolicy }) {
  const { db } = storage;
  return {
    async getDataPush(appId: string): Promise<DataPushSettings> {
      const row = await findPushSettings(db, appId);
      if (!row) throw new ReportsError('FD_DATA_PUSH_NOT_CONFIGURED', 'data push is not configured');
      return toSettings(row);
    },

    async putDataPush(appId: string, input: PutDataPushInput): Promise<DataPushSettings> {
      const body = PutDataPushBody.parse(input);
      const auth = body.auth;
      const row: DataPushRow = {
        app_id: appId,
        url: checkTargetUrl(body.url, policy),
        enabled: body.enabled ? 1 : 0,
        auth_kind: auth.kind,
        username: auth.kind === 'basic' ? auth.username : null,
        password: auth.kind === 'basic' ? auth.password : null,
        token_url: auth.kind === 'oauth2' ? checkTargetUrl(auth.tokenUrl, policy) : null,
        client_id: auth.kind === 'oauth2' ? auth.clientId : null,
        client_secret: auth.kind === 'oauth2' ? auth.clientSecret : null,
        updated_at: clock.now(),
      };
      const { app_id: _appId, ...changes } = row;
      await db.insertInto('data_push_settings').values(row).onConflict((oc) => oc.column('app_id').doUpdateSet(changes)).execute();
      return toSettings(row);
    },
  };
}
