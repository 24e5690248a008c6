import type { Events } from '../../events.ts';
import { enqueueFactsWrite } from './facts-write-job.ts';
import type { WallboardPush } from './wallboard-push.ts';

/**
 * The read model follows the events: a closed conversation gets its facts-write job in its close
 * transaction; a rating and an ended call are written in the transaction that records them (the
 * last rating of a conversation replaces the one before: it counts once).
 */
export function registerAnalyticsListeners(events: Events, wallboard?: WallboardPush): void {
  // The wallboard follows routing (queued, offered, assigned, statuses): every node hears every decision.
  if (wallboard) events.onAfterCommit('routing.decided', 'analytics: wallboard', ({ appId }) => wallboard.changed(appId));
  events.onInTransaction('conversation.closed', 'analytics: facts', ({ conversation }, { tx }) =>
    enqueueFactsWrite(tx, { appId: conversation.appId, conversationId: conversation.id, closedAt: conversation.closedAt ?? 0 }),
  );
  events.onInTransaction('conversation.rated', 'analytics: rating', async ({ appId, rating, agentId }, { tx }) => {
    const row = { app_id: appId, agent_id: agentId, stars: rating.stars, rated_at: rating.updatedAt };
    await tx
      .insertInto('report_ratings')
      .values({ conversation_id: rating.conversationId, ...row })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet(row))
      .execute();
  });
  events.onInTransaction('call.decided', 'analytics: call', async ({ appId, actions }, { tx }) => {
    for (const action of actions) {
      if (action.type !== 'call.ended') continue;
      const s = action.summary;
      await tx
        .insertInto('report_calls')
        .values({
          call_id: s.callId,
          app_id: appId,
          conversation_id: s.conversationId,
          agent_id: s.mainAgentId,
          queue_id: s.queueId,
          kind: s.kind,
          started_at: s.startedAt,
          accepted_at: s.acceptedAt,
          ended_at: s.endedAt,
          duration_ms: s.durationMs,
          end_status: s.endStatus,
        })
        .onConflict((oc) => oc.column('call_id').doNothing())
        .execute();
    }
  });
}
