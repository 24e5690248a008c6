import fs from 'node:fs/promises';
import path from 'node:path';
import type { CaptureKind, Message, MessageKind } from '@frontdesk/protocol';
import type { Events, TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Principal } from '../../platform/principal.ts';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE, type Storage } from '../../platform/storage/storage.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { canRead, senderOf } from './access.ts';
import { ConversationError } from './conversations.errors.ts';
import { toFileRef, type ConversationRow } from './conversations.repository.ts';
import { checkFileType, INLINE_TYPES } from './file-policy.ts';
import type { MessageStore, SendResult } from './message-store.ts';

type FileRow = Database['files'];

/** When, by whom (visitor or agent id) and from where a file was uploaded (AnyChat createtime, username, useripaddr). */
function uploadOf(row: FileRow) {
  return { appId: row.app_id, createdAt: row.created_at, uploaderId: row.uploader_id, uploaderIp: row.uploader_ip, capture: captureOf(row.capture) };
}

const captureOf = (value: string | null): CaptureKind | null => (value === 'snapshot' || value === 'photo' ? value : null);

/**
 * Files of conversations (SPEC M9, M14): uploaded bytes in the data dir, a file record and its
 * message in one transaction; served only to those who may read the conversation.
 */
export function createAttachments(deps: {
  storage: Storage;
  clock: Clock;
  events: Events;
  store: MessageStore;
  filesDir: string;
  uploadMaxBytes: number;
  readable: (principal: Principal, conversationId: string) => Promise<ConversationRow>;
  findRow: (appId: string, conversationId: string) => Promise<ConversationRow | undefined>;
}) {
  const { storage, clock, events, store, filesDir, uploadMaxBytes, readable, findRow } = deps;
  const { db } = storage;

  function openedFile(file: FileRow) {
    return {
      ref: toFileRef(file),
      ...uploadOf(file),
      path: path.join(filesDir, file.app_id, file.id),
      disposition: INLINE_TYPES.has(file.mime_type) ? ('inline' as const) : ('attachment' as const),
    };
  }

  return {
    /** Stores the bytes, then the file record and its message in one transaction. */
    async sendFile(
      principal: Principal,
      conversationId: string,
      input: { clientId: string; name: string; declaredType: string | undefined; bytes: Buffer; ip?: string | undefined; capture?: CaptureKind | undefined },
      /** Runs in the transaction that stores a new message (a channel's own record of what it received). */
      onStored?: (ctx: TxContext, message: Message) => Promise<void>,
    ): Promise<SendResult> {
      const row = await readable(principal, conversationId);
      const sender = senderOf(principal, row);
      const previous = await store.findByClientId(db, principal.appId, conversationId, sender.id, input.clientId);
      if (previous) return { message: previous, created: false };
      if (input.bytes.length > uploadMaxBytes) throw new ConversationError('FD_FILE_TOO_LARGE', `files are limited to ${uploadMaxBytes} bytes`);
      if (input.bytes.length === 0) throw new ConversationError('FD_FILE_TYPE_NOT_ALLOWED', 'the file is empty');
      const check = await checkFileType(input.bytes, input.declaredType);
      if (!check.ok) throw new ConversationError('FD_FILE_TYPE_NOT_ALLOWED', check.reason);
      const fileId = newId('file');
      const dir = path.join(filesDir, principal.appId);
      const filePath = path.join(dir, fileId);
      const kind: MessageKind = check.mimeType.startsWith('image/') ? 'image' : 'file';
      try {
        // Owner-only, like the database: uploads are conversation content.
        await fs.mkdir(dir, { recursive: true, mode: OWNER_ONLY_DIR_MODE });
        await fs.writeFile(filePath, input.bytes, { mode: OWNER_ONLY_FILE_MODE });
        const result = await events.transaction(async (ctx) => {
          await ctx.tx
            .insertInto('files')
            .values({
              id: fileId,
              app_id: principal.appId,
              conversation_id: conversationId,
              name: input.name,
              mime_type: check.mimeType,
              size_bytes: input.bytes.length,
              created_at: clock.now(),
              uploader_type: sender.type,
              uploader_id: sender.id,
              uploader_ip: input.ip ?? null,
              capture: input.capture ?? null,
            })
            .execute();
          const appended = await store.append(ctx, principal.appId, conversationId, { clientId: input.clientId, senderType: sender.type, senderId: sender.id, kind, text: input.name, fileId });
          if (appended.created && onStored) await onStored(ctx, appended.message);
          return appended;
        });
        return { message: result.message, created: true };
      } catch (err) {
        // A full disk (a partial file) or a refused transaction: no file without its record.
        await fs.rm(filePath, { force: true }).catch(() => {});
        throw err;
      }
    },

    /** A file, only for those who may read its conversation. */
    async openFile(principal: Principal, fileId: string) {
      const file = await db.selectFrom('files').selectAll().where('app_id', '=', principal.appId).where('id', '=', fileId).executeTakeFirst();
      const conversation = file && (await findRow(principal.appId, file.conversation_id));
      if (!file || !conversation || !canRead(principal, conversation)) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
      return openedFile(file);
    },

    /** A file by its id alone, for a request whose signed URL was checked (AnyChat `fileurl`). */
    async openFileById(fileId: string) {
      const file = await db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirst();
      if (!file) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
      return openedFile(file);
    },

    /** An app's files, newest first, for server-side callers (compat gateway): by time range and name. */
    async listFiles(
      appId: string,
      query: { fromMs?: number | undefined; toMs?: number | undefined; name?: string | undefined; exactName?: boolean; captures?: 'only' | 'exclude' | undefined; offset: number; limit: number },
    ) {
      let q = db.selectFrom('files').where('app_id', '=', appId);
      // Call captures (snapshots, photos) are their own AnyChat file type: listed alone or left out on demand.
      if (query.captures === 'only') q = q.where('capture', 'is not', null);
      if (query.captures === 'exclude') q = q.where('capture', 'is', null);
      if (query.fromMs !== undefined) q = q.where('created_at', '>=', query.fromMs);
      if (query.toMs !== undefined) q = q.where('created_at', '<=', query.toMs);
      // A fuzzy name is a LIKE pattern: `%` and `_` typed by the caller act as wildcards (within its app).
      if (query.name) q = query.exactName ? q.where('name', '=', query.name) : q.where('name', 'like', `%${query.name}%`);
      const [{ total }, rows] = await Promise.all([
        q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        q.selectAll().orderBy('created_at', 'desc').orderBy('id').offset(query.offset).limit(query.limit).execute(),
      ]);
      return { total: Number(total), files: rows.map((row) => ({ ...toFileRef(row), ...uploadOf(row), conversationId: row.conversation_id })) };
    },

    /** Renames a stored file (its bytes and messages stay). */
    async renameFile(appId: string, fileId: string, name: string) {
      const { numUpdatedRows } = await db.updateTable('files').set({ name }).where('app_id', '=', appId).where('id', '=', fileId).executeTakeFirst();
      if (numUpdatedRows === 0n) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
    },

    /** Deletes a stored file and its bytes; messages that carried it keep their text, without the file. */
    async deleteFile(appId: string, fileId: string) {
      const { numDeletedRows } = await db.deleteFrom('files').where('app_id', '=', appId).where('id', '=', fileId).executeTakeFirst();
      if (numDeletedRows === 0n) throw new ConversationError('FD_FILE_NOT_FOUND', `file ${fileId} not found`);
      await fs.rm(path.join(filesDir, appId, fileId), { force: true });
    },
  };
}
