import type { Call, PartyRef, ScreenShareCloseReason, ServerFrame } from '@frontdesk/protocol';
import type { CallAction, CallState } from './engine/types.ts';

/** Where a call's media room is (MediaRoomRef of the media port). */
export interface RoomRef {
  instanceId: string;
  roomId: string;
}

/** What the calls module announces (platform/events). */
export interface CallEvents {
  /**
   * The call engine decided about one call (in the transaction that saved it): the call as it now
   * stands, the decisions in order, its room, and its next timer. In-transaction listeners record
   * (webhooks, CDR); after commit the calls module carries out the asks of routing and of the media
   * server, and the gateway tells the participants and agents.
   */
  'call.decided': { appId: string; call: CallState; actions: CallAction[]; room: RoomRef | null; nextDeadlineAt: number | null };
  /** Published: the call's room is ready (participants may publish now). */
  'call.media-ready': { appId: string; call: Call };
  /**
   * A screen share opened (its media up) or closed (in the transaction that wrote it): webhooks record
   * `call.screen_share`. The parties hear it as `call.share` after commit (screen-share-relay.ts).
   */
  'call.screen-share-changed': { appId: string; callId: string; conversationId: string; event: 'opened' | 'closed'; sharer: PartyRef; reason: ScreenShareCloseReason | null; startedAt: number; at: number };
  /**
   * Published: who may receive whom in the call changed (a supervisor's mode, a consult). Every node's
   * relay ends the subscriber legs it holds that forwarding no longer allows (the bus carries it).
   */
  'call.forwarding-changed': { appId: string; callId: string };
  /** Published: frames for one user's sockets about a call's media (another participant's publisher up or down). */
  'call.signal': { appId: string; to: { role: 'visitor' | 'agent'; id: string }; frame: ServerFrame };
}
