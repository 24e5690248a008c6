import type { Events } from '../../events.ts';
import type { ConversationFlow } from './conversation-flow.ts';
import type { createQueueReminders } from './queue-reminders.ts';

/** What the conversation flow does when a conversation opens, a visitor writes or routing decides. */
export function registerFlowListeners(events: Events, flow: ConversationFlow, reminders: ReturnType<typeof createQueueReminders>): void {
  events.onAfterCommit('conversation.opened', 'flow: bot first, or to a human', (event) => flow.onOpened(event));
  events.onAfterCommit('message.created', 'flow: the bot answers', (event) => flow.onMessage(event));
  events.onAfterCommit('routing.decided', 'flow: queue reminders', (decided) => reminders.onDecided(decided));
}
