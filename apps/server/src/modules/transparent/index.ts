import type { Events } from '../../events.ts';
import { DomainError } from '../../platform/errors.ts';
import type { FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { Principal } from '../../platform/principal.ts';

/**
 * The transparent channel (SPEC M13, AnyChat transbuffer) and kick-out (M7). The business backend
 * pushes base64 data (≤ 8192 characters) to a connected visitor or agent, and what a client sends
 * reaches the backend as a `transparent.data` event. Both, and kicks, are domain events that reach
 * the user's sockets on whichever node holds them. Owns no tables.
 */
export function createTransparentChannel(deps: {
  events: Events;
  /** Resolves when the user (agent or visitor id) belongs to the app; rejects with a not-found error otherwise. */
  userOf: (appId: string, userId: string) => Promise<{ kind: 'agent' | 'visitor' }>;
  /** Ends the user's sessions (identity): a kicked user's tokens stop working, not only its sockets. */
  revokeTokens: (appId: string, userId: string) => Promise<void>;
}) {
  const { events, userOf, revokeTokens } = deps;
  return {
    /** Sends data to every socket of the user, on every node; a user with none connected gets nothing. */
    async push(appId: string, userId: string, data: string): Promise<void> {
      await userOf(appId, userId);
      await events.published('user.data-pushed', { appId, userId, data });
    },

    /** Data a client sent: an event for the business backend, stored before the client is told. */
    async received(principal: Principal, data: string): Promise<void> {
      if (principal.kind === 'apiKey') throw new DomainError('FD_AUTH_FORBIDDEN', 'API keys use POST /v1/users/:id/transparent');
      const user = principal.kind === 'agent' ? { userType: 'agent' as const, userId: principal.agentId } : { userType: 'visitor' as const, userId: principal.visitorId };
      await events.transaction(({ emit }) => emit('user.data-received', { appId: principal.appId, ...user, data }));
    },

    /** Revokes the user's tokens and closes every socket of the user, on every node (they may sign in again). */
    async kick(appId: string, userId: string): Promise<void> {
      await userOf(appId, userId);
      await revokeTokens(appId, userId);
      await events.published('user.kicked', { appId, userId });
    },
  };
}

export type TransparentChannel = ReturnType<typeof createTransparentChannel>;

/** The transparent channel's frame: data a client sends to the business backend. */
export function transparentFrames(transparent: TransparentChannel): FrameHandlers<'transparent.send'> {
  return {
    'transparent.send': async (frame, { principal }) => {
      await transparent.received(principal, frame.data);
      return {};
    },
  };
}
export type { TransparentEvents } from './transparent.events.ts';
export { registerTransparentRoutes } from './transparent.routes.ts';
