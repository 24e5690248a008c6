/**
 * The `MediaServer` port: what a call needs from a media server (an SFU), in our words. The call shell
 * relays JSEP and trickle ICE between the browsers (over our WebSocket) and this port; browsers never
 * talk to the media server themselves. Implementations: `janus/janus-media-server.ts` (one Janus
 * instance), `placement.ts` (several instances, least-loaded first) and `fake-media-server.ts` (tests).
 *
 * Vocabulary: a *room* holds one call's media; a *participant* (our participant id) publishes at most
 * one *publisher leg* (its camera and microphone) and has one *subscriber leg* per remote publisher it
 * receives. A leg is one peer connection between a browser and the media server.
 */

/** An SDP offer or answer as the browser's RTCSessionDescriptionInit carries it. */
export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** One trickled ICE candidate, as RTCIceCandidateInit (`null` in the port means "end of candidates"). */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** Where a room lives: the instance that holds it and its id there. Opaque to callers; keep it with the call. */
export interface MediaRoomRef {
  instanceId: string;
  roomId: string;
}

export type LegKind = 'publisher' | 'subscriber';
export type MediaKind = 'audio' | 'video';

export interface CreateRoomRequest {
  /** Our call id, kept as the room's description for operators. */
  callId: string;
  /** At most this many publishers (participants with camera/microphone). Default 6. */
  maxPublishers?: number;
  /** Record every publisher's tracks (off by default; the recordings module asks for it per call). */
  record?: boolean;
  /** Where recordings go when `record` is set. */
  recordingDir?: string;
}

export interface PublishRequest {
  room: MediaRoomRef;
  participantId: string;
  /** Shown to operators only. */
  display?: string;
  /** The browser's offer (audio and/or video m-lines). */
  offer: Jsep;
}

export interface SubscribeRequest {
  room: MediaRoomRef;
  /** Who receives. */
  participantId: string;
  /** Whose publisher leg to receive. */
  publisherParticipantId: string;
}

export interface LegRef {
  room: MediaRoomRef;
  legId: string;
}

/** Relay (true) or hold back (false) a participant's audio/video at the server (hold, server-side mute). */
export interface RelayRequest {
  room: MediaRoomRef;
  participantId: string;
  audio?: boolean;
  video?: boolean;
}

/** Health and load of one media server instance. */
export interface MediaInstanceHealth {
  instanceId: string;
  /** Where it is reached (a loopback WebSocket URL for Janus). */
  url: string;
  isUp: boolean;
  /** Why it is down, when it is. */
  downReason?: string;
  rooms: number;
  /** Peer connections (publisher and subscriber legs): the load that placement balances. */
  legs: number;
}

interface LegEventBase {
  room: MediaRoomRef;
  legId: string;
  legKind: LegKind;
  participantId: string;
}

/** What the media server tells the call shell. Discriminated by `type`. */
export type MediaEvent =
  /** A candidate of the media server for this leg, to relay to the browser; `null` = end of candidates. */
  | (LegEventBase & { type: 'leg.ice-candidate'; candidate: IceCandidate | null })
  /** The peer connection is up (DTLS done): media can flow. */
  | (LegEventBase & { type: 'leg.up' })
  /** The peer connection is gone (browser closed it, ICE/DTLS failed, the publisher left…). */
  | (LegEventBase & { type: 'leg.down'; reason: string })
  /** ICE failed on the media server's side: the browser should restart ICE. */
  | (LegEventBase & { type: 'leg.ice-failed' })
  /** Packet loss on this leg (`uplink`: browser → server). */
  | (LegEventBase & { type: 'leg.slow-link'; direction: 'uplink' | 'downlink'; media: MediaKind; lostPackets: number })
  /** The server received nothing of this kind from a publisher leg for `silentMs` (≥ MEDIA_STOPPED_AFTER_MS). */
  | (LegEventBase & { type: 'leg.media-stopped'; media: MediaKind; silentMs: number })
  /** Media of this kind arrives again after a `leg.media-stopped`. */
  | (LegEventBase & { type: 'leg.media-resumed'; media: MediaKind })
  /** The room is gone with its instance: every leg in it is down. End the call with a media failure. */
  | { type: 'room.lost'; room: MediaRoomRef; reason: string }
  | { type: 'instance.down'; instanceId: string; reason: string }
  | { type: 'instance.up'; instanceId: string };

export type MediaEventType = MediaEvent['type'];
export type MediaEventOf<T extends MediaEventType> = Extract<MediaEvent, { type: T }>;

/** M24: a member whose media stops for longer than this is reported offline. */
export const MEDIA_STOPPED_AFTER_MS = 3000;

export interface MediaServer {
  /** A new room on a live instance; fails with `media-unavailable` when none is up. */
  createRoom(request: CreateRoomRequest): Promise<MediaRoomRef>;
  /** Destroys the room and every leg in it. Idempotent: a room already gone is not an error. */
  destroyRoom(room: MediaRoomRef): Promise<void>;

  /** Publishes a participant's camera/microphone: the browser's offer in, the answer out. */
  publish(request: PublishRequest): Promise<{ legId: string; answer: Jsep }>;
  /**
   * A publisher's new offer on its existing leg (ICE restart: `iceRestart` on the browser's
   * createOffer, or a track added/removed). The answer goes back to the browser.
   */
  renegotiatePublisher(leg: LegRef & { offer: Jsep }): Promise<{ answer: Jsep }>;

  /**
   * Starts receiving `publisherParticipantId`'s media: the server's offer, to relay to the browser.
   * Waits (bounded) until the publisher's media is up: a media server offers a feed only then.
   */
  subscribe(request: SubscribeRequest): Promise<{ legId: string; offer: Jsep }>;
  /** The browser's answer to a subscriber leg's offer (after `subscribe` or `restartSubscriberIce`). */
  acceptAnswer(leg: LegRef & { answer: Jsep }): Promise<void>;
  /** ICE restart of a subscriber leg: a new offer from the server, then `acceptAnswer`. */
  restartSubscriberIce(leg: LegRef): Promise<{ offer: Jsep }>;

  /** A browser's trickled candidate for a leg; `null` = the browser's end of candidates. */
  addIceCandidate(leg: LegRef & { candidate: IceCandidate | null }): Promise<void>;

  /** Server-side relay of a participant's audio/video to the others (hold, forced mute). */
  setRelay(request: RelayRequest): Promise<void>;
  /** Ends one leg (a subscription no longer allowed); `leg.down` follows. Idempotent: a leg already gone is not an error. */
  removeLeg(leg: LegRef): Promise<void>;
  /** Ends every leg of the participant, and the other participants' subscriptions to it. Idempotent. */
  removeParticipant(request: { room: MediaRoomRef; participantId: string }): Promise<void>;

  /** Health and load of each instance behind this port. */
  health(): MediaInstanceHealth[];
  /** Every event; returns the unsubscribe function. */
  onEvent(listener: (event: MediaEvent) => void): () => void;
  /** Detaches from the instances. Rooms are not destroyed: the call shell destroys each at call end. */
  close(): Promise<void>;
}
