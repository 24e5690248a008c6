import type { Conversation, MessageDelivery } from '@frontdesk/protocol';

/** What messaging channels announce (platform/events); app.ts registers the listeners. */
export interface ChannelEvents {
  /** Deliveries of the conversation's messages moved (a send's outcome, a provider's status webhook). Published after the change. */
  'channel.delivery-changed': { conversation: Conversation; deliveries: MessageDelivery[] };
}
