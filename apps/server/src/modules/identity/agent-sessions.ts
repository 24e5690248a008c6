import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { IdentityError } from './identity.errors.ts';

/**
 * Agent sessions (SPEC M6, TCCC `kickedOut`): every agent login (password or SDK login) is a row,
 * and its token names it (`sid`). Opening a session replaces the agent's other live sessions,
 * except those of the same browser (`deviceId`, sent by the SDK with multi-tab sharing so that the
 * tabs of one browser share a login instead of kicking each other). A replaced session's tokens
 * stop working at once on every node (checked on each use), and its sockets, on every node, are
 * closed with a `kicked` frame (`agent.logins-replaced`).
 *
 * NOTE: the check is one primary-key read per authenticated agent request; no cache, so a kick is
 * effective across nodes without waiting for an invalidation.
 */
export function createAgentSessions(deps: { storage: Storage; clock: Clock; events: Events }) {
  const { storage, clock, events } = deps;
  const { db } = storage;

  return {
    /** A new session for the agent; the others (of another device) are replaced, and told after commit. */
    async open(input: { appId: string; agentId: string; deviceId?: string | undefined; via: 'password' | 'sdk'; ttlMs: number; ip?: string | undefined }): Promise<{ sessionId: string; replaced: string[] }> {
      const now = clock.now();
      const sessionId = newId('ses');
      const replaced = await events.transaction(async ({ tx, emit }) => {
        // Serialize logins of one agent, across nodes, so two simultaneous logins cannot both survive.
        await storage.lockKey(tx, `agent-session:${input.appId}:${input.agentId}`);
        const live = await tx
          .selectFrom('agent_sessions')
          .select(['id', 'device_id'])
          .where('app_id', '=', input.appId)
          .where('agent_id', '=', input.agentId)
          .where('expires_at', '>', now)
          .where('replaced_at', 'is', null)
          .execute();
        const others = live.filter((s) => input.deviceId === undefined || s.device_id !== input.deviceId).map((s) => s.id);
        if (others.length > 0) await tx.updateTable('agent_sessions').set({ replaced_at: now }).where('id', 'in', others).execute();
        await tx
          .insertInto('agent_sessions')
          .values({
            id: sessionId,
            app_id: input.appId,
            agent_id: input.agentId,
            device_id: input.deviceId ?? null,
            via: input.via,
            created_at: now,
            expires_at: now + input.ttlMs,
            replaced_at: null,
            ip: input.ip ?? null,
          })
          .execute();
        // Housekeeping: sessions expired a day ago are of no use to anyone.
        await tx.deleteFrom('agent_sessions').where('app_id', '=', input.appId).where('agent_id', '=', input.agentId).where('expires_at', '<', now - 24 * 60 * 60 * 1000).execute();
        if (others.length > 0) await emit('agent.logins-replaced', { appId: input.appId, agentId: input.agentId, sessionIds: others });
        return others;
      });
      return { sessionId, replaced };
    },

    /** Ends every live session of the agent (a kick): their tokens stop working on every node. */
    async endAll(appId: string, agentId: string): Promise<void> {
      const now = clock.now();
      await db.updateTable('agent_sessions').set({ expires_at: now }).where('app_id', '=', appId).where('agent_id', '=', agentId).where('expires_at', '>', now).execute();
    },

    /** Throws FD_AUTH_SESSION_REPLACED for a replaced session, FD_AUTH_TOKEN_INVALID for an unknown one. */
    async assertLive(appId: string, agentId: string, sessionId: string): Promise<void> {
      const row = await db.selectFrom('agent_sessions').select(['agent_id', 'app_id', 'replaced_at', 'expires_at']).where('id', '=', sessionId).executeTakeFirst();
      if (!row || row.app_id !== appId || row.agent_id !== agentId || row.expires_at <= clock.now()) throw new IdentityError('FD_AUTH_TOKEN_INVALID', 'token is invalid or expired');
      if (row.replaced_at !== null) throw new IdentityError('FD_AUTH_SESSION_REPLACED', 'this session was replaced by a newer login of the same agent');
    },
  };
}

export type AgentSessions = ReturnType<typeof createAgentSessions>;
