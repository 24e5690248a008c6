import type { Recording, RecordingFile, RecordingPolicy as RecordingPolicyView, RecordingPolicyScope } from '@frontdesk/protocol';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import type { RecordingPolicy } from './recording-policy.ts';
import type { RecordingsTables } from './recordings.schema.ts';

export type RecordingRow = RecordingsTables['recordings'];

/** A stored file: the view plus its BlobStore key (never shown to clients). */
export interface StoredRecordingFile extends RecordingFile {
  key: string;
}

const num = (v: number | null) => (v === null ? null : Number(v));

export function filesOf(row: RecordingRow): StoredRecordingFile[] {
  return JSON.parse(row.files) as StoredRecordingFile[];
}

export function toRecording(row: RecordingRow): Recording {
  const files = filesOf(row).map(({ key: _key, ...file }) => file);
  return {
    id: row.id,
    appId: row.app_id,
    callId: row.call_id,
    conversationId: row.conversation_id,
    mode: row.mode as Recording['mode'],
    status: row.status as Recording['status'],
    name: row.name,
    participants: JSON.parse(row.participants) as string[],
    startedAt: num(row.started_at),
    durationMs: num(row.duration_ms),
    sizeBytes: num(row.size_bytes),
    format: row.format as Recording['format'],
    recordFlags: Number(row.record_flags),
    files,
    error: row.error,
    callEndedAt: num(row.call_ended_at),
    expiresAt: num(row.expires_at),
    createdAt: Number(row.created_at),
    completedAt: num(row.completed_at),
  };
}

/** The recordings module's SQL; every query is scoped to one app. */
export function createRecordingStore(storage: Storage) {
  const { db } = storage;
  return {
    async policy(appId: string, scope: RecordingPolicyScope, scopeId: string, from: DbOrTx = db): Promise<RecordingPolicy | undefined> {
      const row = await from.selectFrom('recording_policies').selectAll().where('app_id', '=', appId).where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
      return row && { mode: row.mode as RecordingPolicy['mode'], retentionDays: Number(row.retention_days) };
    },

    async policies(appId: string): Promise<RecordingPolicyView[]> {
      const rows = await db.selectFrom('recording_policies').selectAll().where('app_id', '=', appId).orderBy('scope').orderBy('scope_id').execute();
      return rows.map((r) => ({ scope: r.scope as RecordingPolicyScope, scopeId: r.scope_id, mode: r.mode as RecordingPolicyView['mode'], retentionDays: Number(r.retention_days), updatedAt: Number(r.updated_at) }));
    },

    async setPolicy(appId: string, scope: RecordingPolicyScope, scopeId: string, policy: RecordingPolicy, nowMs: number): Promise<void> {
      await db
        .insertInto('recording_policies')
        .values({ app_id: appId, scope, scope_id: scopeId, mode: policy.mode, retention_days: policy.retentionDays, updated_at: nowMs })
        .onConflict((oc) => oc.columns(['app_id', 'scope', 'scope_id']).doUpdateSet({ mode: policy.mode, retention_days: policy.retentionDays, updated_at: nowMs }))
        .execute();
    },

    async byId(appId: string, id: string, from: DbOrTx = db): Promise<RecordingRow | undefined> {
      return from.selectFrom('recordings').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    },

    async byCall(appId: string, callId: string, from: DbOrTx = db): Promise<RecordingRow | undefined> {
      return from.selectFrom('recordings').selectAll().where('app_id', '=', appId).where('call_id', '=', callId).executeTakeFirst();
    },

    async list(appId: string, query: { conversationId?: string | undefined; limit: number }): Promise<RecordingRow[]> {
      let q = db.selectFrom('recordings').selectAll().where('app_id', '=', appId);
      if (query.conversationId) q = q.where('conversation_id', '=', query.conversationId);
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    },

    /** Ready recordings by creation time (a window, a name), oldest first, a page of them and how many match. */
    async listReady(appId: string, q: { fromMs?: number | undefined; toMs?: number | undefined; name?: string | undefined; exactName?: boolean; offset: number; limit: number }): Promise<{ total: number; rows: RecordingRow[] }> {
      let query = db.selectFrom('recordings').where('app_id', '=', appId).where('status', '=', 'ready');
      if (q.fromMs !== undefined) query = query.where('created_at', '>=', q.fromMs);
      if (q.toMs !== undefined) query = query.where('created_at', '<=', q.toMs);
      if (q.name) query = q.exactName ? query.where('name', '=', q.name) : query.where('name', 'like', `%${q.name}%`);
      const { count } = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      const rows = await query.selectAll().orderBy('created_at').orderBy('id').offset(q.offset).limit(q.limit).execute();
      return { total: Number(count), rows };
    },

    /** Inserts the row of a call about to be recorded; a second insert for the call keeps the first. */
    async insert(row: RecordingRow): Promise<RecordingRow> {
      await db.insertInto('recordings').values(row).onConflict((oc) => oc.column('call_id').doNothing()).execute();
      return (await this.byCall(row.app_id, row.call_id))!;
    },

    async rename(appId: string, id: string, name: string, nowMs: number): Promise<boolean> {
      const result = await db.updateTable('recordings').set({ name, updated_at: nowMs }).where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async remove(appId: string, id: string): Promise<void> {
      await db.deleteFrom('recordings').where('app_id', '=', appId).where('id', '=', id).execute();
    },

    /** Recordings past retention (any app), oldest first. */
    async expired(nowMs: number, limit: number): Promise<RecordingRow[]> {
      return db.selectFrom('recordings').selectAll().where('expires_at', '<=', nowMs).orderBy('expires_at').limit(limit).execute();
    },
  };
}

export type RecordingStore = ReturnType<typeof createRecordingStore>;
