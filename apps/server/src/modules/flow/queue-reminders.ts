import type { Channel, Conversation } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { MANUAL_QUEUE_ID, type Decided } from '../routing/index.ts';

/**
 * Queue reminders (SPEC M11): a waiting visitor hears its position and the wait estimate every
 * reminder interval of its channel. Every node follows every routing decision (its own and those it
 * replays) and reminds the visitors connected to it; one reminder chain per waiting conversation.
 */
export function createQueueReminders(deps: {
  clock: Clock;
  log: Logger;
  events: Events;
  getChannel: (appId: string, channelId: string) => Promise<Channel>;
  findConversation: (appId: string, conversationId: string) => Promise<Conversation | undefined>;
  standing: (appId: string, conversationId: string) => Promise<{ position: number; estimatedWaitMs: number | undefined }>;
}) {
  const { clock, log, events } = deps;
  /** Conversations waiting in a queue → who to remind and the cancel of the next reminder. */
  const waiting = new Map<string, { appId: string; visitorId: string; channelId: string; cancel?: () => void }>();

  /** Tells the visitor where it stands (not while an offer rings: position 0), and again after the interval. */
  async function remind(conversationId: string): Promise<void> {
    const entry = waiting.get(conversationId);
    if (!entry) return;
    const channel = await deps.getChannel(entry.appId, entry.channelId);
    const { position, estimatedWaitMs } = await deps.standing(entry.appId, conversationId);
    if (channel.queueReminder.enabled && position > 0) {
      const waitMinutes = estimatedWaitMs === undefined ? '?' : String(Math.max(1, Math.ceil(estimatedWaitMs / 60_000)));
      await events.published('visitor.queue-position', {
        appId: entry.appId,
        visitorId: entry.visitorId,
        frame: {
          type: 'queue.position',
          conversationId,
          position,
          estimatedWaitSeconds: estimatedWaitMs === undefined ? null : Math.ceil(estimatedWaitMs / 1000),
          text: channel.queueReminder.text.replaceAll('{position}', String(position)).replaceAll('{waitMinutes}', waitMinutes),
        },
      });
    }
    if (waiting.get(conversationId) !== entry) return;
    entry.cancel?.();
    entry.cancel = clock.at(clock.now() + channel.queueReminder.intervalSeconds * 1000, () => {
      void remind(conversationId).catch((err) => log.warn({ err }, 'queue reminder failed'));
    });
  }

  function stop(conversationId: string): void {
    waiting.get(conversationId)?.cancel?.();
    waiting.delete(conversationId);
  }

  async function start(appId: string, conversationId: string): Promise<void> {
    const conversation = await deps.findConversation(appId, conversationId);
    if (!conversation?.channelId || conversation.status !== 'open') return;
    waiting.set(conversationId, { appId, visitorId: conversation.visitorId, channelId: conversation.channelId });
    await remind(conversationId);
  }

  return {
    /** Follows routing decisions: queued (again, after a transfer or overflow) starts a chain; taken or ended stops it. */
    onDecided({ appId, actions }: Decided): void {
      for (const action of actions) {
        if (action.subject === 'call') continue;
        if (action.type === 'session.queued') {
          stop(action.sessionId);
          // Waiting to be claimed by hand is not a place in a queue.
          if (action.queueId === MANUAL_QUEUE_ID) continue;
          // NOTE: not awaited: the first reminder reads routing's state, which the decision's own
          // listeners must not wait for.
          void start(appId, action.sessionId).catch((err) => log.warn({ err }, 'queue reminder failed'));
        } else if (action.type === 'assign' || action.type === 'session.released' || action.type === 'session.ended') stop(action.sessionId);
      }
    },
    close(): void {
      for (const conversationId of [...waiting.keys()]) stop(conversationId);
    },
  };
}
