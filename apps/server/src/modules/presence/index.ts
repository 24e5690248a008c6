import { newId } from '../../platform/ids.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Insertable } from 'kysely';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';

export { registerPresenceRoutes } from './presence.routes.ts';

const HEARTBEAT_MS = 15_000;
/** A node not seen for this long is gone: its sockets no longer count. */
const NODE_TIMEOUT_MS = 60_000;
/** Sockets that come and go are written at most this often (one transaction for all of them). */
const WRITE_SPACING_MS = 20;

/**
 * Who is connected now, across every node (SPEC M21; AnyChat `online_useridlist_get`). Each node
 * records its authenticated sockets under its own node id and keeps a heartbeat; sockets of a node
 * that stopped beating are ignored, then removed. Owns `presence_nodes` and `presence_sockets`.
 */
export function createPresence(deps: { storage: Storage; clock: Clock; log: Logger }) {
  const { storage, clock, log } = deps;
  const { db } = storage;
  const nodeId = newId('node');
  let cancel: (() => void) | undefined;
  let closed = false;

  async function beat(): Promise<void> {
    const now = clock.now();
    await db
      .insertInto('presence_nodes')
      .values({ node_id: nodeId, seen_at: now })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ seen_at: now }))
      .execute();
    const gone = db.selectFrom('presence_nodes').select('node_id').where('seen_at', '<', now - 10 * NODE_TIMEOUT_MS);
    await db.deleteFrom('presence_sockets').where('node_id', 'in', gone).execute();
    await db.deleteFrom('presence_nodes').where('seen_at', '<', now - 10 * NODE_TIMEOUT_MS).execute();
  }

  /**
   * Sockets that came and went, written together, one write after the other (so a socket's removal
   * never precedes its record): at the end of the event-loop turn, or, when the last write began
   * less than WRITE_SPACING_MS ago, that long after it. NOTE: a transaction per socket was a commit
   * per hello on SQLite and a pool connection per hello on PostgreSQL, where 19,900 sockets
   * connecting at once then found the pool full; one per turn was still a commit for every one or
   * two hellos (bench/README.md).
   */
  type SocketRow = Insertable<Database['presence_sockets']>;
  let adding: SocketRow[] = [];
  let removing: string[] = [];
  let written: Promise<void> = Promise.resolve();
  let writeScheduled = false;
  let lastWriteAt = -Infinity;
  function scheduleWrite(): void {
    if (writeScheduled || closed) return;
    writeScheduled = true;
    const write = () => {
      writeScheduled = false;
      // Closing wrote what was pending.
      if (closed) return;
      lastWriteAt = performance.now();
      written = written.then(writePending);
    };
    const wait = lastWriteAt + WRITE_SPACING_MS - performance.now();
    if (wait > 0) setTimeout(write, wait);
    else setImmediate(write);
  }
  async function writePending(): Promise<void> {
    const removed = new Set(removing);
    // A socket that came and went in the same turn is not written at all.
    const added = adding.filter((row) => !removed.has(row.socket_id));
    [adding, removing] = [[], []];
    if (added.length === 0 && removed.size === 0) return;
    await db
      .transaction()
      .execute(async (tx) => {
        for (let i = 0; i < added.length; i += 500) await tx.insertInto('presence_sockets').values(added.slice(i, i + 500)).execute();
        const ids = [...removed];
        for (let i = 0; i < ids.length; i += 500) await tx.deleteFrom('presence_sockets').where('socket_id', 'in', ids.slice(i, i + 500)).execute();
      })
      .catch((err) => log.warn({ err, sockets: added.length + removed.size }, 'presence: recording sockets failed'));
  }

  function loop(): void {
    if (closed) return;
    cancel = clock.at(clock.now() + HEARTBEAT_MS, () => {
      beat()
        .catch((err) => log.warn({ err }, 'presence heartbeat failed'))
        .finally(loop);
    });
  }

  return {
    async start(): Promise<void> {
      await beat();
      loop();
    },
    /** A socket authenticated as this user; `socketId` is the gateway's own id for it. */
    connected(socketId: string, appId: string, userType: 'agent' | 'visitor', userId: string): void {
      adding.push({ socket_id: socketId, node_id: nodeId, app_id: appId, user_type: userType, user_id: userId, connected_at: clock.now() });
      scheduleWrite();
    },
    disconnected(socketId: string): void {
      removing.push(socketId);
      scheduleWrite();
    },
    /** Whether the user has a socket on any live node. */
    async isConnected(appId: string, userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('presence_sockets')
        .innerJoin('presence_nodes', 'presence_nodes.node_id', 'presence_sockets.node_id')
        .select('presence_sockets.socket_id')
        .where('presence_sockets.app_id', '=', appId)
        .where('presence_sockets.user_id', '=', userId)
        .where('presence_nodes.seen_at', '>=', clock.now() - NODE_TIMEOUT_MS)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Users of the app with at least one socket on a live node, by kind, sorted. */
    async online(appId: string): Promise<{ agents: string[]; visitors: string[] }> {
      const rows = await db
        .selectFrom('presence_sockets')
        .innerJoin('presence_nodes', 'presence_nodes.node_id', 'presence_sockets.node_id')
        .select(['presence_sockets.user_type', 'presence_sockets.user_id'])
        .distinct()
        .where('presence_sockets.app_id', '=', appId)
        .where('presence_nodes.seen_at', '>=', clock.now() - NODE_TIMEOUT_MS)
        .orderBy('presence_sockets.user_id')
        .execute();
      return {
        agents: rows.filter((r) => r.user_type === 'agent').map((r) => r.user_id),
        visitors: rows.filter((r) => r.user_type === 'visitor').map((r) => r.user_id),
      };
    },
    async close(): Promise<void> {
      closed = true;
      cancel?.();
      // What came and went and is not written yet goes before this node's sockets are removed.
      written = written.then(writePending);
      await written;
      // This node's sockets are closing with it.
      await db.deleteFrom('presence_sockets').where('node_id', '=', nodeId).execute().catch(() => {});
      await db.deleteFrom('presence_nodes').where('node_id', '=', nodeId).execute().catch(() => {});
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
