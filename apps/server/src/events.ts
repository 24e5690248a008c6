import type { CallEvents } from './modules/calls/index.ts';
import type { CaptureEvents } from './modules/captures/index.ts';
import type { CobrowseEvents } from './modules/cobrowse/index.ts';
import type { ChannelEvents } from './modules/channels/index.ts';
import type { ConversationEvents } from './modules/conversations/index.ts';
import type { FlowEvents } from './modules/flow/index.ts';
import type { IdentityEvents } from './modules/identity/index.ts';
import type { RecordingEvents } from './modules/recordings/index.ts';
import type { RoutingEvents } from './modules/routing/index.ts';
import type { SupervisionEvents } from './modules/supervision/index.ts';
import type { TransparentEvents } from './modules/transparent/index.ts';
import type { EventContext, EventDispatcher } from './platform/events/event-dispatcher.ts';

/**
 * Every domain event of the server: the name a module announces and its payload. Each module
 * declares its own in `<module>.events.ts`; listeners are registered in app.ts (one list) from the
 * modules' `<module>.listeners.ts`. docs/architecture.md says who produces and who listens to each.
 */
export type DomainEvents = ConversationEvents & RoutingEvents & CallEvents & CaptureEvents & FlowEvents & IdentityEvents & TransparentEvents & SupervisionEvents & CobrowseEvents & RecordingEvents & ChannelEvents;

export type Events = EventDispatcher<DomainEvents>;
/** A transaction in which domain events are emitted (in-transaction listeners run in it). */
export type TxContext = EventContext<DomainEvents>;
