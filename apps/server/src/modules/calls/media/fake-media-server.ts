import { Emitter } from '@frontdesk/sdk-core';
import type {
  CreateRoomRequest,
  IceCandidate,
  Jsep,
  LegKind,
  LegRef,
  MediaEvent,
  MediaInstanceHealth,
  MediaKind,
  MediaRoomRef,
  MediaServer,
  PublishRequest,
  RelayRequest,
  SubscribeRequest,
} from './media-server.ts';
import { MediaError } from './media.errors.ts';

export interface FakeLeg {
  legId: string;
  kind: LegKind;
  participantId: string;
  publisherParticipantId?: string;
  /** The last offer (publisher) or answer (subscriber) the browser side gave. */
  remoteSdp?: string;
  candidates: (IceCandidate | null)[];
  relay: Record<MediaKind, boolean>;
}

export interface FakeRoom {
  ref: MediaRoomRef;
  request: CreateRoomRequest;
  legs: Map<string, FakeLeg>;
}

/**
 * An in-memory `MediaServer` for tests that need no media: it keeps rooms and legs, answers with
 * SDP-shaped strings, and emits whatever events a test asks for (`emitLegEvent`, `loseInstance`).
 */
export class FakeMediaServer implements MediaServer {
  readonly rooms = new Map<string, FakeRoom>();
  private readonly events = new Emitter<{ event: MediaEvent }>();
  private isUp = true;
  private downReason = '';
  private counter = 0;

  constructor(readonly instanceId = 'fake') {}

  async createRoom(request: CreateRoomRequest): Promise<MediaRoomRef> {
    this.assertUp();
    const ref = { instanceId: this.instanceId, roomId: String(++this.counter) };
    this.rooms.set(ref.roomId, { ref, request, legs: new Map() });
    return ref;
  }

  async destroyRoom(room: MediaRoomRef): Promise<void> {
    this.rooms.delete(room.roomId);
  }

  async publish(request: PublishRequest): Promise<{ legId: string; answer: Jsep }> {
    const room = this.room(request.room);
    if ([...room.legs.values()].some((l) => l.kind === 'publisher' && l.participantId === request.participantId)) {
      throw new MediaError('already-publishing', `participant ${request.participantId} already publishes`);
    }
    const leg = this.addLeg(room, 'publisher', request.participantId);
    leg.remoteSdp = request.offer.sdp;
    return { legId: leg.legId, answer: { type: 'answer', sdp: fakeSdp('answer', leg.legId) } };
  }

  async renegotiatePublisher(request: LegRef & { offer: Jsep }): Promise<{ answer: Jsep }> {
    const leg = this.leg(request, 'publisher');
    leg.remoteSdp = request.offer.sdp;
    return { answer: { type: 'answer', sdp: fakeSdp('answer', leg.legId) } };
  }

  async subscribe(request: SubscribeRequest): Promise<{ legId: string; offer: Jsep }> {
    const room = this.room(request.room);
    if (![...room.legs.values()].some((l) => l.kind === 'publisher' && l.participantId === request.publisherParticipantId)) {
      throw new MediaError('leg-not-found', `participant ${request.publisherParticipantId} does not publish`);
    }
    const leg = this.addLeg(room, 'subscriber', request.participantId);
    leg.publisherParticipantId = request.publisherParticipantId;
    return { legId: leg.legId, offer: { type: 'offer', sdp: fakeSdp('offer', leg.legId) } };
  }

  async acceptAnswer(request: LegRef & { answer: Jsep }): Promise<void> {
    this.leg(request, 'subscriber').remoteSdp = request.answer.sdp;
  }

  async restartSubscriberIce(request: LegRef): Promise<{ offer: Jsep }> {
    const leg = this.leg(request, 'subscriber');
    return { offer: { type: 'offer', sdp: fakeSdp('offer', `${leg.legId}-restart`) } };
  }

  async addIceCandidate(request: LegRef & { candidate: IceCandidate | null }): Promise<void> {
    this.leg(request).candidates.push(request.candidate);
  }

  async setRelay(request: RelayRequest): Promise<void> {
    const room = this.room(request.room);
    const leg = [...room.legs.values()].find((l) => l.kind === 'publisher' && l.participantId === request.participantId);
    if (!leg) throw new MediaError('leg-not-found', `participant ${request.participantId} does not publish`);
    if (request.audio !== undefined) leg.relay.audio = request.audio;
    if (request.video !== undefined) leg.relay.video = request.video;
  }

  async removeLeg(request: LegRef): Promise<void> {
    const room = this.rooms.get(request.room.roomId);
    const leg = room?.legs.get(request.legId);
    if (!room || !leg) return;
    room.legs.delete(leg.legId);
    this.emit({ type: 'leg.down', room: room.ref, legId: leg.legId, legKind: leg.kind, participantId: leg.participantId, reason: 'leg removed' });
  }

  async removeParticipant(request: { room: MediaRoomRef; participantId: string }): Promise<void> {
    const room = this.rooms.get(request.room.roomId);
    if (!room) return;
    for (const leg of [...room.legs.values()]) {
      if (leg.participantId !== request.participantId && leg.publisherParticipantId !== request.participantId) continue;
      room.legs.delete(leg.legId);
      const reason = leg.participantId === request.participantId ? 'participant removed' : 'publisher left';
      this.emit({ type: 'leg.down', room: room.ref, legId: leg.legId, legKind: leg.kind, participantId: leg.participantId, reason });
    }
  }

  health(): MediaInstanceHealth[] {
    const legs = [...this.rooms.values()].reduce((n, r) => n + r.legs.size, 0);
    return [{ instanceId: this.instanceId, url: `fake://${this.instanceId}`, isUp: this.isUp, ...(this.isUp ? {} : { downReason: this.downReason }), rooms: this.rooms.size, legs }];
  }

  onEvent(listener: (event: MediaEvent) => void): () => void {
    return this.events.on('event', listener);
  }

  async close(): Promise<void> {
    this.events.clear();
  }

  // --- test controls -------------------------------------------------------------------------

  /** Emits `type` for a leg, e.g. `emitLegEvent(ref, legId, { type: 'leg.up' })`. */
  emitLegEvent(
    room: MediaRoomRef,
    legId: string,
    event:
      | { type: 'leg.up' }
      | { type: 'leg.ice-failed' }
      | { type: 'leg.down'; reason: string }
      | { type: 'leg.ice-candidate'; candidate: IceCandidate | null }
      | { type: 'leg.slow-link'; direction: 'uplink' | 'downlink'; media: MediaKind; lostPackets: number }
      | { type: 'leg.media-stopped'; media: MediaKind; silentMs: number }
      | { type: 'leg.media-resumed'; media: MediaKind },
  ): void {
    const leg = this.leg({ room, legId });
    this.emit({ ...event, room, legId, legKind: leg.kind, participantId: leg.participantId });
  }

  /** The instance dies: every room is lost, calls fail with `media-unavailable` until `restore`. */
  loseInstance(reason = 'killed'): void {
    this.isUp = false;
    this.downReason = reason;
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    for (const room of rooms) this.emit({ type: 'room.lost', room: room.ref, reason: `media server lost: ${reason}` });
    this.emit({ type: 'instance.down', instanceId: this.instanceId, reason });
  }

  restore(): void {
    this.isUp = true;
    this.emit({ type: 'instance.up', instanceId: this.instanceId });
  }

  private emit(event: MediaEvent): void {
    this.events.emit('event', event);
  }

  private assertUp(): void {
    if (!this.isUp) throw new MediaError('media-unavailable', `media server ${this.instanceId} is down (${this.downReason})`);
  }

  private room(ref: MediaRoomRef): FakeRoom {
    this.assertUp();
    const room = this.rooms.get(ref.roomId);
    if (!room || ref.instanceId !== this.instanceId) throw new MediaError('room-not-found', `no media room ${ref.roomId}`);
    return room;
  }

  private leg(ref: LegRef, kind?: LegKind): FakeLeg {
    const leg = this.room(ref.room).legs.get(ref.legId);
    if (!leg || (kind && leg.kind !== kind)) throw new MediaError('leg-not-found', `no leg ${ref.legId}`);
    return leg;
  }

  private addLeg(room: FakeRoom, kind: LegKind, participantId: string): FakeLeg {
    const leg: FakeLeg = { legId: `${kind}-${++this.counter}`, kind, participantId, candidates: [], relay: { audio: true, video: true } };
    room.legs.set(leg.legId, leg);
    return leg;
  }
}

/** Enough SDP to look like one in logs and frames; never negotiated by a real peer. */
function fakeSdp(type: 'offer' | 'answer', id: string): string {
  return ['v=0', `o=- ${id.length} 1 IN IP4 127.0.0.1`, `s=fake ${type} ${id}`, 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');
}
