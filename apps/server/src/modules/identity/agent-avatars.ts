import { fileTypeFromBuffer } from 'file-type';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Storage } from '../../platform/storage/storage.ts';

/** An avatar is shown small: a larger image is refused rather than stored. */
export const AVATAR_MAX_BYTES = 200 * 1024;
/** Only raster images a browser shows inline (never SVG: it can carry script). */
const AVATAR_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * Agents' avatars: one image per agent, its type read from its bytes. Served publicly by a path
 * that changes with each new image (`/v1/avatars/:appId/:agentId?v=…`): an avatar is no secret,
 * and visitors' pages show it without a token.
 */
export function createAgentAvatars({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;
  return {
    async set(appId: string, agentId: string, bytes: Uint8Array): Promise<string> {
      if (bytes.length === 0) throw new DomainError('FD_REQ_INVALID', 'the body is the image: PNG, JPEG, GIF or WebP');
      if (bytes.length > AVATAR_MAX_BYTES) throw new DomainError('FD_FILE_TOO_LARGE', `an avatar is at most ${AVATAR_MAX_BYTES} bytes`);
      const mime = (await fileTypeFromBuffer(bytes))?.mime;
      if (!mime || !AVATAR_TYPES.has(mime)) throw new DomainError('FD_FILE_TYPE_NOT_ALLOWED', 'an avatar is a PNG, JPEG, GIF or WebP image');
      const row = { app_id: appId, agent_id: agentId, mime_type: mime, data_base64: Buffer.from(bytes).toString('base64'), updated_at: clock.now() };
      await db
        .insertInto('agent_avatars')
        .values(row)
        .onConflict((oc) => oc.columns(['app_id', 'agent_id']).doUpdateSet({ mime_type: row.mime_type, data_base64: row.data_base64, updated_at: row.updated_at }))
        .execute();
      return avatarPath(appId, agentId, row.updated_at);
    },

    async remove(appId: string, agentId: string): Promise<void> {
      await db.deleteFrom('agent_avatars').where('app_id', '=', appId).where('agent_id', '=', agentId).execute();
    },

    async get(appId: string, agentId: string): Promise<{ mimeType: string; bytes: Buffer; updatedAt: number } | undefined> {
      const row = await db.selectFrom('agent_avatars').selectAll().where('app_id', '=', appId).where('agent_id', '=', agentId).executeTakeFirst();
      return row && { mimeType: row.mime_type, bytes: Buffer.from(row.data_base64, 'base64'), updatedAt: Number(row.updated_at) };
    },

    /** The avatar's path of each agent that has one (agents without one are left out). */
    async pathsOf(appId: string, agentIds: readonly string[]): Promise<Map<string, string>> {
      if (agentIds.length === 0) return new Map();
      const rows = await db.selectFrom('agent_avatars').select(['agent_id', 'updated_at']).where('app_id', '=', appId).where('agent_id', 'in', [...agentIds]).execute();
      return new Map(rows.map((r) => [r.agent_id, avatarPath(appId, r.agent_id, Number(r.updated_at))]));
    },
  };
}

export function avatarPath(appId: string, agentId: string, updatedAt: number): string {
  return `/v1/avatars/${encodeURIComponent(appId)}/${encodeURIComponent(agentId)}?v=${updatedAt}`;
}

export type AgentAvatars = ReturnType<typeof createAgentAvatars>;
