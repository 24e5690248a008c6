/**
 * The conversation flow (SPEC M10, M11) for every channel: bot first → hand-off → queue (or a
 * claim by hand) → reminders → idle end. It owns no tables: it reacts to domain events
 * (`flow.listeners.ts`) and hands each lifecycle command to the module that owns it (routing for
 * assignments and ends of what routing holds, conversations for the rest). Channel adapters and
 * calls reuse it unchanged: they open conversations and store messages; the flow does the rest.
 */
export { createConversationFlow, type ConversationFlow } from './conversation-flow.ts';
export { createQueueReminders } from './queue-reminders.ts';
export { createIdleEnd } from './idle-end.ts';
export type { FlowEvents } from './flow.events.ts';
export { registerFlowListeners } from './flow.listeners.ts';
export { registerFlowRoutes } from './flow.routes.ts';
