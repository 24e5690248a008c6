/**
 * Channels own each app's web channels (SPEC M10 bot settings and FAQs, M11 working hours,
 * queue reminders, idle end) and the bot's FAQ index per channel. Invariants: every query is
 * scoped by app id; an app has at most one default channel, created on first use; a cached
 * FAQ index is used only while the channel's `faq_version` is the one it was built from.
 * `hours.ts` is the pure working-hours core: `isWithinHours` / `nextOpening` over a time passed in.
 */
export { createChannelsService, DEFAULT_CHANNEL_NAME, type ChannelsService } from './channels.service.ts';
export { registerChannelRoutes } from './channels.routes.ts';
export {
  DateException,
  MAX_PERIODS_PER_DAY,
  NEXT_OPENING_HORIZON_MS,
  Period,
  WorkingHours,
  isWithinHours,
  nextOpening,
} from './hours.ts';
/**
 * Messaging channels (SPEC M39): channels connected to WhatsApp Cloud API, Messenger, Telegram and
 * Viber through one adapter port (`adapters/`): their webhooks, their users as visitors, and
 * every provider message stored once.
 */
export { createConnections, type Connections } from './connections.ts';
export { createChannelInbound, type ChannelInbound, type InboundPorts } from './channel-inbound.ts';
export { createProviderHttp } from './provider-http.ts';
export { registerChannelWebhookRoutes } from './channel-webhook.routes.ts';
export { registerMessagingRoutes } from './messaging.routes.ts';
export { PROVIDERS, type Provider } from './adapters/channel-adapter.ts';
export { createChannelOutbound, type ChannelOutbound, type OutboundPorts } from './channel-outbound.ts';
export { registerChannelListeners } from './channels.listeners.ts';
export type { ChannelEvents } from './channels.events.ts';
export { createDeliveryNotifier, type DeliveryNotifier } from './delivery-notifier.ts';
export { registerChannelSendRoutes } from './messaging.routes.ts';
