import type { Events } from '../../events.ts';
import { enqueueFactsWrite } from './facts-write-job.ts';
import { writeCalls, writeRating } from './report-writes.ts';
import type { LockKey } from './rollup-store.ts';
import type { WallboardPush } from './wallboard-push.ts';

/**
 * The read model follows the events: a closed conversation gets its facts-write job in its close
 * transaction; a rating and an ended call are written, with their roll-up slots, in the
 * transaction that records them (the last rating of a conversation replaces the one before: it
 * counts once).
 */
export function registerAnalyticsListeners(events: Events, lockKey: LockKey, wallboard?: WallboardPush): void {
  // The wallboard follows routing (queued, offered, assigned, statuses): every node hears every decision.
  if (wallboard) events.onAfterCommit('routing.decided', 'analytics: wallboard', ({ appId }) => wallboard.changed(appId));
  events.onInTransaction('conversation.closed', 'analytics: facts', ({ conversation }, { tx }) =>
    enqueueFactsWrite(tx, { appId: conversation.appId, conversationId: conversation.id, closedAt: conversation.closedAt ?? 0 }),
  );
  events.onInTransaction('conversation.rated', 'analytics: rating', ({ appId, rating, agentId }, { tx }) =>
    writeRating(tx, lockKey, appId, { conversationId: rating.conversationId, agentId, stars: rating.stars, ratedAt: rating.updatedAt }),
  );
  events.onInTransaction('call.decided', 'analytics: call', ({ appId, actions }, { tx }) =>
    writeCalls(
      tx,
      lockKey,
      appId,
      // NOTE: an internal call (agent to agent) serves no customer: it is in the CDR, not in the call reports.
      actions.flatMap((a) => (a.type === 'call.ended' && a.summary.conversationId !== null ? [{ ...a.summary, conversationId: a.summary.conversationId }] : [])),
    ),
  );
}
