import { createHmac, randomInt } from 'node:crypto';
import Janode from 'janode';
import VideoRoomPlugin, { type VideoRoomHandle, type VideoRoomJsep } from 'janode/plugins/videoroom';
import type { Clock } from '../../../../platform/clock.ts';
import { MEDIA_STOPPED_AFTER_MS, type CreateRoomRequest, type IceCandidate, type Jsep, type LegKind, type MediaKind } from '../media-server.ts';
import { MediaError, type MediaErrorReason } from '../media.errors.ts';
import { MediaStoppedWatch } from './media-stopped-watch.ts';
import { sdpStreams, type SdpStream } from './sdp-streams.ts';
import type { JanusTransport } from './transport.ts';

/** A leg event before the instance adds the room reference (see janus-media-server.ts). */
export type LegSignal = { legId: string; legKind: LegKind; participantId: string; roomId: string } & (
  | { type: 'leg.ice-candidate'; candidate: IceCandidate | null }
  | { type: 'leg.up' }
  | { type: 'leg.down'; reason: string }
  | { type: 'leg.ice-failed' }
  | { type: 'leg.slow-link'; direction: 'uplink' | 'downlink'; media: MediaKind; lostPackets: number }
  | { type: 'leg.media-stopped'; media: MediaKind; silentMs: number }
  | { type: 'leg.media-resumed'; media: MediaKind }
);

interface Leg {
  id: string;
  kind: LegKind;
  roomId: string;
  participantId: string;
  /** Subscriber legs: whose media they receive. */
  publisherParticipantId?: string;
  handle: VideoRoomHandle;
  /** Publisher legs: the published m-sections (from the browser's offer). */
  streams: SdpStream[];
  watch: MediaStoppedWatch;
  isClosed: boolean;
  /** Resolves at webrtcup (the media path is up). */
  isUp: Promise<void>;
}

interface Room {
  number: number;
  /**
   * Janus may record the room's publishers: they are asked for keyframes when their media is up. True for
   * a room this process created to record, and for any room it adopted (see roomOrAdopted).
   */
  mayRecord: boolean;
  /** participantId → Janus feed id of its publisher leg. */
  feeds: Map<string, number>;
  legs: Set<string>;
}

/** Janus VideoRoom error codes (janus_videoroom.c) → our reasons. */
const VIDEOROOM_ERRORS: Record<number, MediaErrorReason> = {
  426: 'room-not-found',
  428: 'leg-not-found',
  434: 'already-publishing',
  436: 'already-publishing',
};

/**
 * The VideoRoom client of one Janus instance: one room per call, one handle per leg. Rooms are private,
 * `notify_joining`, with a secret derived from `roomSecretKey` and the room number (HMAC), so a server
 * that restarts can still manage the rooms it created.
 */
export class VideoRoomClient {
  private readonly rooms = new Map<string, Room>();
  private readonly legs = new Map<string, Leg>();
  private control: VideoRoomHandle | undefined;
  private legCounter = 0;

  constructor(
    private readonly transport: JanusTransport,
    private readonly clock: Clock,
    private readonly roomSecretKey: string,
    private readonly signal: (event: LegSignal) => void,
  ) {}

  get roomCount(): number {
    return this.rooms.size;
  }

  get legCount(): number {
    return this.legs.size;
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  async createRoom(request: CreateRoomRequest): Promise<string> {
    const control = await this.controlHandle();
    // NOTE: we pick the number: Janus's own may exceed 2^53 on some builds, which JSON in JS cannot hold.
    const number = randomInt(1, 2 ** 48);
    const secret = this.roomSecret(number);
    await this.call('create room', control.create({
      room: number,
      description: `call ${request.callId}`,
      max_publishers: request.maxPublishers ?? 6,
      is_private: true,
      secret,
      notify_joining: true,
      record: request.record ?? false,
      ...(request.recordingDir ? { rec_dir: request.recordingDir } : {}),
      audiocodec: 'opus',
      videocodec: 'vp8,h264',
    }));
    const roomId = String(number);
    this.rooms.set(roomId, { number, mayRecord: request.record === true, feeds: new Map(), legs: new Set() });
    return roomId;
  }

  /** Destroys the room, ours or one our previous process made (same key, so the same secret). */
  async destroyRoom(roomId: string): Promise<void> {
    const number = Number(roomId);
    if (!Number.isSafeInteger(number)) return;
    // NOTE: a leg may close on its own while an earlier one is detached (its peer hung up): skip it.
    for (const legId of [...(this.rooms.get(roomId)?.legs ?? [])]) {
      const leg = this.legs.get(legId);
      if (leg) await this.closeLeg(leg, 'room destroyed', false);
    }
    this.rooms.delete(roomId);
    const control = await this.controlHandle();
    await this.call('destroy room', control.destroy({ room: number, secret: this.roomSecret(number) })).catch((err: unknown) => {
      if (!(err instanceof MediaError && err.reason === 'room-not-found')) throw err;
    });
  }

  async publish(roomId: string, participantId: string, display: string | undefined, offer: Jsep): Promise<{ legId: string; answer: Jsep }> {
    const room = await this.roomOrAdopted(roomId);
    if (room.feeds.has(participantId)) throw new MediaError('already-publishing', `participant ${participantId} already publishes in room ${roomId}`);
    const leg = await this.openLeg(room, 'publisher', participantId);
    leg.streams = sdpStreams(offer.sdp);
    try {
      // NOTE: the file name is given on every publish (harmless when the room does not record): it names
      // the participant and the publish time, so a republish never overwrites an earlier track.
      const filename = recordingBaseName(participantId, this.clock.now());
      const joined = await this.call('publish', leg.handle.joinConfigurePublisher({ room: room.number, display: display ?? participantId, filename, jsep: offer }));
      if (!joined.jsep) throw new MediaError('negotiation-failed', 'Janus joined the publisher without an answer');
      room.feeds.set(participantId, joined.feed);
      return { legId: leg.id, answer: toJsep(joined.jsep) };
    } catch (err) {
      await this.closeLeg(leg, 'publish failed', false);
      throw err;
    }
  }

  async renegotiatePublisher(legId: string, offer: Jsep): Promise<Jsep> {
    const leg = this.leg(legId, 'publisher');
    leg.streams = sdpStreams(offer.sdp);
    const configured = await this.call('renegotiate', leg.handle.configure({ jsep: offer }));
    if (!configured.jsep) throw new MediaError('negotiation-failed', 'Janus configured the publisher without an answer');
    return toJsep(configured.jsep);
  }

  async subscribe(roomId: string, participantId: string, publisherParticipantId: string): Promise<{ legId: string; offer: Jsep }> {
    const room = await this.roomOrAdopted(roomId);
    const feed = room.feeds.get(publisherParticipantId);
    const publisher = [...room.legs].map((id) => this.legs.get(id)!).find((l) => l.kind === 'publisher' && l.participantId === publisherParticipantId);
    if (feed === undefined || !publisher) throw new MediaError('leg-not-found', `participant ${publisherParticipantId} does not publish in room ${roomId}`);
    // NOTE: Janus answers "no such feed" (428) until the publisher's media is up; wait for it instead.
    await this.transport.request(`publisher ${publisherParticipantId} media up`, publisher.isUp);
    const leg = await this.openLeg(room, 'subscriber', participantId);
    leg.publisherParticipantId = publisherParticipantId;
    try {
      const joined = await this.call('subscribe', leg.handle.joinSubscriber({ room: room.number, streams: [{ feed }], autoupdate: false }));
      if (!joined.jsep) throw new MediaError('negotiation-failed', 'Janus joined the subscriber without an offer');
      return { legId: leg.id, offer: toJsep(joined.jsep) };
    } catch (err) {
      await this.closeLeg(leg, 'subscribe failed', false);
      throw err;
    }
  }

  /** A leg is addressed with its room: a leg id of another call's room is refused. */
  assertLegIn(roomId: string, legId: string): void {
    if (this.legs.get(legId)?.roomId !== roomId) throw new MediaError('leg-not-found', `no leg ${legId} in room ${roomId}`);
  }

  async acceptAnswer(legId: string, answer: Jsep): Promise<void> {
    await this.call('start', this.leg(legId, 'subscriber').handle.start({ jsep: answer }));
  }

  async restartSubscriberIce(legId: string): Promise<Jsep> {
    const configured = await this.call('ICE restart', this.leg(legId, 'subscriber').handle.configure({ restart: true }));
    if (!configured.jsep) throw new MediaError('negotiation-failed', 'Janus gave no offer for the ICE restart');
    return toJsep(configured.jsep);
  }

  async addIceCandidate(legId: string, candidate: IceCandidate | null): Promise<void> {
    const handle = this.leg(legId).handle;
    await this.call('trickle', candidate ? handle.trickle(candidate) : handle.trickleComplete());
  }

  async setRelay(roomId: string, participantId: string, relay: Partial<Record<MediaKind, boolean>>): Promise<void> {
    const room = await this.roomOrAdopted(roomId);
    const leg = [...room.legs].map((id) => this.legs.get(id)!).find((l) => l.kind === 'publisher' && l.participantId === participantId);
    if (!leg) throw new MediaError('leg-not-found', `participant ${participantId} does not publish in room ${roomId}`);
    const streams = leg.streams.flatMap((s) => (relay[s.kind] === undefined ? [] : [{ mid: s.mid, send: relay[s.kind] }]));
    if (streams.length > 0) await this.call('configure relay', leg.handle.configure({ streams }));
  }

  async removeLeg(roomId: string, legId: string): Promise<void> {
    const leg = this.legs.get(legId);
    if (leg && leg.roomId === roomId) await this.closeLeg(leg, 'leg removed', true);
  }

  async removeParticipant(roomId: string, participantId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    if (!room) return;
    for (const legId of [...room.legs]) {
      const leg = this.legs.get(legId);
      if (!leg) continue;
      if (leg.participantId === participantId) await this.closeLeg(leg, 'participant removed', true);
      else if (leg.publisherParticipantId === participantId) await this.closeLeg(leg, 'publisher left', true);
    }
    room.feeds.delete(participantId);
  }

  /** The instance is gone: forget everything without talking to it (its handles died with it). */
  forgetAll(): void {
    for (const leg of this.legs.values()) {
      leg.isClosed = true;
      leg.watch.dispose();
    }
    this.legs.clear();
    this.rooms.clear();
    this.control = undefined;
  }

  private roomSecret(number: number): string {
    return createHmac('sha256', this.roomSecretKey).update(`videoroom:${number}`).digest('base64url');
  }

  private async controlHandle(): Promise<VideoRoomHandle> {
    this.control ??= await this.transport.attach(VideoRoomPlugin);
    return this.control;
  }

  /**
   * The room, or one Janus still has that this client does not know: made by our previous process
   * (a restart with calls in progress keeps Janus running), managed with the secret the same key
   * derives. Its old legs were that process's Janus session's, which Janus ends on its own; the
   * parties publish and subscribe again here.
   */
  private async roomOrAdopted(roomId: string): Promise<Room> {
    const known = this.rooms.get(roomId);
    if (known) return known;
    const number = Number(roomId);
    const control = await this.controlHandle();
    const { exists } = Number.isSafeInteger(number) ? await this.call('room exists', control.exists({ room: number })) : { exists: false };
    if (!exists) throw new MediaError('room-not-found', `no media room ${roomId}`);
    let room = this.rooms.get(roomId);
    // NOTE: an adopted room keeps recording (the flag is the room's, in Janus); our file names go with every
    // publish. Whether it records cannot be read back (our rooms are private: Janus does not list them), so
    // its publishers are asked for keyframes as a recorded room's are: two requests, harmless if it does not.
    if (!room) this.rooms.set(roomId, (room = { number, mayRecord: true, feeds: new Map(), legs: new Set() }));
    return room;
  }

  private leg(legId: string, kind?: LegKind): Leg {
    const leg = this.legs.get(legId);
    if (!leg || (kind && leg.kind !== kind)) throw new MediaError('leg-not-found', `no ${kind ?? ''} leg ${legId}`.replace('  ', ' '));
    return leg;
  }

  private async openLeg(room: Room, kind: LegKind, participantId: string): Promise<Leg> {
    const handle = await this.transport.attach(VideoRoomPlugin);
    const id = `${kind === 'publisher' ? 'pub' : 'sub'}-${room.number}-${++this.legCounter}`;
    const base = { legId: id, legKind: kind, participantId, roomId: String(room.number) } as const;
    // NOTE: janode's own listeners stay on the handle (removing them all would break its bookkeeping),
    // so ours go quiet once the leg is closed.
    const emit = (event: LegSignal) => {
      if (!leg.isClosed) this.signal(event);
    };
    const watch = new MediaStoppedWatch(
      this.clock,
      MEDIA_STOPPED_AFTER_MS,
      (media, silentMs) => emit({ ...base, type: 'leg.media-stopped', media, silentMs }),
      (media) => emit({ ...base, type: 'leg.media-resumed', media }),
    );
    let markUp = () => {};
    const isUp = new Promise<void>((resolve) => (markUp = resolve));
    const leg: Leg = { id, kind, roomId: base.roomId, participantId, handle, streams: [], watch, isClosed: false, isUp };
    this.legs.set(id, leg);
    room.legs.add(id);
    const E = Janode.EVENT;
    // NOTE: listeners go on before the first request so that a fast webrtcup is not missed.
    handle.on(E.HANDLE_WEBRTCUP, () => {
      markUp();
      if (kind === 'publisher' && room.mayRecord) this.requestKeyframes(leg);
      emit({ ...base, type: 'leg.up' });
    });
    handle.on(E.HANDLE_HANGUP, (data: { reason?: string }) => {
      // A leg that hung up is gone for good (Janus unpublished it): a new publish or subscribe makes a new one.
      emit({ ...base, type: 'leg.down', reason: data.reason ?? 'hangup' });
      void this.closeLeg(leg, 'hangup', false);
    });
    handle.on(E.HANDLE_ICE_FAILED, () => emit({ ...base, type: 'leg.ice-failed' }));
    handle.on(E.HANDLE_TRICKLE, (data: { completed?: boolean; candidate?: string; sdpMid?: string; sdpMLineIndex?: number }) => {
      const candidate = data.completed || !data.candidate ? null : { candidate: data.candidate, sdpMid: data.sdpMid ?? null, sdpMLineIndex: data.sdpMLineIndex ?? null };
      emit({ ...base, type: 'leg.ice-candidate', candidate });
    });
    handle.on(E.HANDLE_MEDIA, (data: { type?: string; receiving?: boolean; seconds?: number }) => {
      if ((data.type === 'audio' || data.type === 'video') && typeof data.receiving === 'boolean') watch.report(data.type, data.receiving, data.seconds ?? 0);
    });
    handle.on(E.HANDLE_SLOWLINK, (data: { uplink?: boolean; media?: string; lost?: number }) => {
      const media: MediaKind = data.media === 'audio' ? 'audio' : 'video';
      emit({ ...base, type: 'leg.slow-link', direction: data.uplink ? 'uplink' : 'downlink', media, lostPackets: data.lost ?? 0 });
    });
    handle.on(E.HANDLE_DETACHED, () => {
      // Janus detached it on its own (e.g. the session ended): the leg is down.
      if (!leg.isClosed) void this.closeLeg(leg, 'detached by the media server', true, false);
    });
    return leg;
  }

  /**
   * A recorded publisher is asked for a keyframe as soon as its media is up, and once more a second
   * later: Janus itself asks only every 10 s, so a track could start with seconds of undecodable
   * (black) video (janus-gateway #1648).
   */
  private requestKeyframes(leg: Leg): void {
    const ask = () => {
      if (!leg.isClosed) void this.call('keyframe', leg.handle.configure({ keyframe: true })).catch(() => {});
    };
    ask();
    this.clock.at(this.clock.now() + KEYFRAME_AGAIN_AFTER_MS, ask);
  }

  private async closeLeg(leg: Leg, reason: string, isSignalled: boolean, shouldDetach = true): Promise<void> {
    if (leg.isClosed) return;
    leg.isClosed = true;
    leg.watch.dispose();
    this.legs.delete(leg.id);
    const room = this.rooms.get(leg.roomId);
    room?.legs.delete(leg.id);
    if (leg.kind === 'publisher' && room?.feeds.get(leg.participantId) !== undefined) room.feeds.delete(leg.participantId);
    if (shouldDetach) await this.call('detach', leg.handle.detach()).catch(() => {});
    if (isSignalled) this.signal({ legId: leg.id, legKind: leg.kind, participantId: leg.participantId, roomId: leg.roomId, type: 'leg.down', reason });
  }

  /** Bounded in time; Janus errors become MediaErrors with our reasons. */
  private async call<T>(what: string, op: Promise<T>): Promise<T> {
    try {
      return await this.transport.request(what, op);
    } catch (err) {
      if (err instanceof MediaError) throw err;
      const code = (err as { _code?: number })._code;
      const reason = (code !== undefined && VIDEOROOM_ERRORS[code]) || 'negotiation-failed';
      throw new MediaError(reason, `Janus refused "${what}": ${(err as Error).message}`, { cause: err });
    }
  }
}

/** A recorded publisher's second keyframe request, after the first at webrtcup. */
const KEYFRAME_AGAIN_AFTER_MS = 1000;

/**
 * The base name of a publisher's recorded tracks (Janus appends `-audio-0.mjr`, `-video-1.mjr`…):
 * the participant id in base64url (any id is a safe file name this way, and comes back exactly)
 * and the publish time in ms.
 */
export function recordingBaseName(participantId: string, atMs: number): string {
  return `p-${Buffer.from(participantId).toString('base64url')}-${atMs}`;
}

function toJsep(jsep: VideoRoomJsep): Jsep {
  return { type: jsep.type, sdp: jsep.sdp };
}
