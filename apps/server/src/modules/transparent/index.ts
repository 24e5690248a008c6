import type { Bus } from '../../platform/bus.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Outbox } from '../webhooks/index.ts';

/**
 * The transparent channel (SPEC M13, AnyChat transbuffer) and kick-out (M7). The business backend
 * pushes base64 data (≤ 8192 characters) to a connected visitor or agent, and what a client sends
 * reaches the backend as a `transparent.data` event. Both, and kicks, travel on the bus, so they
 * reach the user's sockets on whichever node holds them. Owns no tables.
 */
export function createTransparentChannel(deps: {
  storage: Storage;
  bus: Bus;
  outbox: Outbox;
  /** Resolves when the user (agent or visitor id) belongs to the app; rejects with a not-found error otherwise. */
  userOf: (appId: string, userId: string) => Promise<{ kind: 'agent' | 'visitor' }>;
}) {
  const { storage, bus, outbox, userOf } = deps;
  return {
    /** Sends data to every socket of the user, on every node; a user with none connected gets nothing. */
    async push(appId: string, userId: string, data: string): Promise<void> {
      await userOf(appId, userId);
      bus.publish({ type: 'transparent', appId, userId, data });
    },

    /** Data a client sent: an event for the business backend, stored before the client is told. */
    async received(principal: Principal, data: string): Promise<void> {
      if (principal.kind === 'apiKey') throw new DomainError('FD_AUTH_FORBIDDEN', 'API keys use POST /v1/users/:id/transparent');
      const user = principal.kind === 'agent' ? { userType: 'agent', userId: principal.agentId } : { userType: 'visitor', userId: principal.visitorId };
      await storage.db.transaction().execute((tx) => outbox.enqueue(tx, [{ appId: principal.appId, type: 'transparent.data', data: { ...user, data } }]));
    },

    /** Closes every socket of the user, on every node (they may connect again). */
    async kick(appId: string, userId: string): Promise<void> {
      await userOf(appId, userId);
      bus.publish({ type: 'kick', appId, userId });
    },
  };
}

export type TransparentChannel = ReturnType<typeof createTransparentChannel>;
export { registerTransparentRoutes } from './transparent.routes.ts';
