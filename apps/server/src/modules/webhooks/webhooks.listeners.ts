import type { CallScreenShareData } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { DbOrTx } from '../../platform/storage/storage.ts';
import { callWebhookEventsOf, type NamesOf } from './call-webhook-events.ts';
import type { Outbox, OutboxEvent } from './outbox.ts';
import { interestOf, selectWanted } from './outbox-interest.ts';
import { webhookEventsOf } from './routing-webhook-events.ts';

/**
 * What the business backend hears (SPEC M35): each domain event that has a webhook event is written
 * to the outbox in the transaction of its change, so an event is delivered if and only if its
 * change committed.
 */
export function registerWebhookListeners(events: Events, outbox: Outbox, deps: { namesOf: (from: DbOrTx, appId: string, parties: Parameters<NamesOf>[0]) => ReturnType<NamesOf> }): void {
  events.onInTransaction('conversation.opened', 'webhooks: conversation.created', ({ conversation }, { tx }) =>
    outbox.enqueue(tx, [{ appId: conversation.appId, type: 'conversation.created', orderingKey: conversation.id, data: { conversation } }]),
  );
  // The hot path: a batch of sends (group commit) is one read of the apps' subscriptions and one insert.
  events.onInTransactionBatch('message.created', 'webhooks: message.created, file.uploaded', async (batch, { tx }) => {
    const interest = await interestOf(tx, [...new Set(batch.map(({ conversation }) => conversation.appId))]);
    const written: OutboxEvent[] = batch.flatMap(({ conversation, message, file }) => [
      { appId: conversation.appId, type: 'message.created' as const, orderingKey: conversation.id, data: { message } },
      ...(file
        ? [{ appId: conversation.appId, type: 'file.uploaded' as const, orderingKey: conversation.id, data: { conversationId: conversation.id, file, uploadedBy: { type: message.senderType, id: message.senderId } } }]
        : []),
    ]);
    await outbox.enqueue(tx, selectWanted(written, interest));
  });
  events.onInTransaction('conversation.closed', 'webhooks: conversation.closed', ({ conversation, closeBy }, { tx }) =>
    outbox.enqueue(tx, [{ appId: conversation.appId, type: 'conversation.closed', orderingKey: conversation.id, data: { conversation, closeBy } }]),
  );
  events.onInTransaction('conversation.rated', 'webhooks: conversation.rated', ({ appId, rating }, { tx }) =>
    outbox.enqueue(tx, [{ appId, type: 'conversation.rated', orderingKey: rating.conversationId, data: { rating } }]),
  );
  events.onInTransaction('routing.decided', 'webhooks: routing and agent status', (decided, { tx }) => outbox.enqueue(tx, webhookEventsOf(decided)));
  events.onInTransaction('call.decided', 'webhooks: call.state_changed', async ({ appId, call, actions }, { tx }) =>
    outbox.enqueue(tx, await callWebhookEventsOf(appId, call, actions, (parties) => deps.namesOf(tx, appId, parties))),
  );
  // A call recording is ready (once per recording): AnyChat subscriptions get recordsnapshot_notify.
  events.onInTransaction('recording.completed', 'webhooks: recording.completed', ({ appId, recording }, { tx }) => {
    const mixed = recording.files.find((f) => f.role === 'mixed');
    const agentId = recording.participants.find((p) => p.startsWith('agent:'))?.slice('agent:'.length) ?? null;
    return outbox.enqueue(tx, [
      {
        appId,
        type: 'recording.completed',
        orderingKey: recording.conversationId,
        data: {
          recordingId: recording.id,
          callId: recording.callId,
          conversationId: recording.conversationId,
          fileName: mixed ? `recordings/${appId}/${recording.id}/${mixed.name}` : '',
          durationSeconds: Math.round((recording.durationMs ?? 0) / 1000),
          recordFlags: recording.recordFlags,
          sizeBytes: recording.sizeBytes ?? 0,
          userId: agentId,
          userName: '',
          errorCode: 0,
          at: recording.completedAt ?? recording.createdAt,
        },
      },
    ]);
  });
  // A screen share of a call opened or closed (no vendor format: the seeds define none for it).
  events.onInTransaction('call.screen-share-changed', 'webhooks: call.screen_share', ({ appId, callId, conversationId, event, sharer, reason, startedAt, at }, { tx }) =>
    outbox.enqueue(tx, [{ appId, type: 'call.screen_share', orderingKey: conversationId, data: { callId, conversationId, event, sharer, reason, startedAt, at } satisfies CallScreenShareData }]),
  );
  // A call snapshot or photo stored (AnyChat subscriptions get recordsnapshot_notify with the snapshot flag).
  events.onInTransaction('capture.stored', 'webhooks: capture.stored', ({ appId, kind, callId, conversationId, visitorId, agentId, message, at }, { tx }) =>
    outbox.enqueue(tx, [
      {
        appId,
        type: 'capture.stored',
        orderingKey: conversationId,
        data: { kind, callId, conversationId, fileId: message.file?.id ?? '', fileName: message.file?.name ?? '', sizeBytes: message.file?.sizeBytes ?? 0, visitorId, agentId, at },
      },
    ]),
  );
  events.onInTransaction('user.data-received', 'webhooks: transparent.data', ({ appId, userType, userId, data }, { tx }) =>
    outbox.enqueue(tx, [{ appId, type: 'transparent.data', data: { userType, userId, data } }]),
  );
  // Co-browse (SPEC M32): when one goes live and when it ends (a rejected proposal ends without starting).
  events.onInTransaction('cobrowse.changed', 'webhooks: cobrowse.started, cobrowse.ended', ({ appId, session, steps }, { tx }) =>
    outbox.enqueue(
      tx,
      steps.flatMap((step) =>
        step.kind === 'started' || step.kind === 'ended'
          ? [{ appId, type: step.kind === 'started' ? ('cobrowse.started' as const) : ('cobrowse.ended' as const), orderingKey: session.conversationId, data: { cobrowse: session, by: { type: step.actorRole, id: step.actorId }, at: step.at } }]
          : [],
      ),
    ),
  );
}
