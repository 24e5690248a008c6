import type { Conversation, DeliveryStatus, MessageDelivery } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Logger } from '../../platform/logger.ts';

/** A `channel_outbound` row as an UPDATE … RETURNING gives it back. */
export interface ChangedDelivery {
  app_id: string;
  conversation_id: string;
  message_id: string;
  status: string;
  reason: string | null;
  updated_at: number;
}

/**
 * Tells the workbench that deliveries moved: the rows an update changed, grouped by conversation,
 * announced as `channel.delivery-changed` (the gateway sends them to the conversation's agent and
 * supervisors, on every node). NOTE: published after the single-statement update committed, like
 * `conversation.read`: the conversation is read outside any transaction (on SQLite a read inside
 * one would wait for it).
 */
export function createDeliveryNotifier(deps: { events: Events; log: Logger; findConversation: (appId: string, conversationId: string) => Promise<Conversation | undefined> }) {
  return {
    async announce(rows: readonly ChangedDelivery[]): Promise<void> {
      const byConversation = new Map<string, { appId: string; deliveries: MessageDelivery[] }>();
      for (const row of rows) {
        const entry = byConversation.get(row.conversation_id) ?? { appId: row.app_id, deliveries: [] };
        entry.deliveries.push({ messageId: row.message_id, status: row.status as DeliveryStatus, reason: row.reason, updatedAt: row.updated_at });
        byConversation.set(row.conversation_id, entry);
      }
      for (const [conversationId, { appId, deliveries }] of byConversation) {
        try {
          const conversation = await deps.findConversation(appId, conversationId);
          if (conversation) await deps.events.published('channel.delivery-changed', { conversation, deliveries });
        } catch (err) {
          // Liveness only: the workbench reads the deliveries again when it opens the conversation.
          deps.log.warn({ err, appId, conversationId }, 'channels: announcing a delivery change failed');
        }
      }
    },
  };
}

export type DeliveryNotifier = ReturnType<typeof createDeliveryNotifier>;
