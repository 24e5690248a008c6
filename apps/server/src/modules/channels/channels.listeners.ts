import type { Events } from '../../events.ts';
import type { ChannelOutbound } from './channel-outbound.ts';

/** What messaging channels do when a message is stored: its send job, in its transaction; then the worker starts. */
export function registerChannelListeners(events: Events, outbound: ChannelOutbound): void {
  events.onInTransaction('message.created', 'channels: the send job of an outgoing message (or the window refusal)', (event, ctx) => outbound.onMessageCreated(ctx, event));
  events.onAfterCommit('message.created', 'channels: start the send', (event) => outbound.onMessageCommitted(event));
}
