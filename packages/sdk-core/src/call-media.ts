import type { Call, CallJoin, IceServer, PartyRef } from '@frontdesk/protocol';
import type { CallSignalFrame, CallSignalling } from './call-signalling.ts';
import { Emitter } from './emitter.ts';
import { SdkError, toSdkError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { defaultMediaEnvironment, onNetworkChange, openDeviceTrack, replaceTrack, stopTracks, type DeviceChoice, type MediaConstraintsOption, type MediaEnvironment } from './media-devices.ts';
import { answerSubscription, publishOn, restartLeg, sendTrack } from './leg-negotiation.ts';
import { PeerLeg } from './peer-leg.ts';

export interface CallMediaOptions {
  join: CallJoin;
  /** Who this client is in the call. */
  self: PartyRef;
  /** The captured microphone (and camera): `openLocalMedia`. The call stops its tracks when it ends. */
  local: MediaStream;
  signalling: CallSignalling;
  constraints?: MediaConstraintsOption | undefined;
  env?: MediaEnvironment | undefined;
  log?: Logger | undefined;
  /**
   * A supervisor's media (SPEC M28): in the room without being a party of the call until it takes
   * the call over. The server decides who receives it (its mode); it receives the parties.
   */
  asSupervisor?: boolean | undefined;
}

export interface CallMediaEvents {
  /** Another party's media to render (a new stream after each resubscription), or null once it is gone. */
  remoteStream: { party: PartyRef; stream: MediaStream | null };
  /** One's own stream changed (a device switch) or ended (null). */
  localStream: { stream: MediaStream | null };
  /** The media gave up (publishing or a restart failed repeatedly); the call itself goes on until someone ends it. */
  error: SdkError;
}

interface Subscription {
  party: PartyRef;
  leg: PeerLeg | null;
  stream: MediaStream | null;
}

/** Leg states in which a party is in the room (it publishes, and may subscribe). */
const IN_MEDIA: ReadonlySet<string> = new Set(['connecting', 'connected', 'held']);
/** Leg states in which another party's media is up (the server said so: subscribe to it). */
const PUBLISHING: ReadonlySet<string> = new Set(['connected', 'held']);
const RETRY_DELAY_MS = 2_000;
const MAX_ATTEMPTS = 4;
/** A party seen connected without its `call.publisher` announcement is subscribed to after this. */
const SUBSCRIBE_FALLBACK_MS = 3_000;

const keyOf = (party: PartyRef) => `${party.role}:${party.id}`;
/** A party's leg in the call, unless it left. */
const legOf = (call: Call, party: PartyRef) => call.participants.find((p) => p.role === party.role && p.userId === party.id && p.leg !== 'left');
/** A supervisor's own place in a call it is no party of: in the media, its microphone on. */
const SUPERVISOR_LEG = { leg: 'connected', micMuted: false, cameraOff: false } as const;

/**
 * One participant's media in one call, over the SDK's socket: publishes its own microphone (and
 * camera) on a publisher leg (`call.publish` → answer), subscribes to each other party on its own
 * leg (`call.subscribe` → the server's offer → `call.answer`), trickles candidates both ways, and
 * restarts ICE when the server or the browser says ICE failed, or the network changed. Feed it every
 * `call` view (`update`) and every signal frame of the call (`onSignal`); after a reconnect of the
 * socket, `reconnect` with the `call.rejoin` reply publishes and subscribes again (legs belong to the
 * socket that opened them).
 *
 * NOTE: subscriptions follow the server's `call.publisher` announcements (a new one replaces the
 * old: the publisher republished), plus the parties already connected when this client enters the
 * media; a party seen connected without an announcement is subscribed to after a short wait. Each
 * subscription holds a leg in the media server, so two for one party are avoided.
 */
export class CallMedia {
  readonly callId: string;
  readonly #self: PartyRef;
  readonly #signalling: CallSignalling;
  readonly #env: MediaEnvironment;
  readonly #log: Logger;
  readonly #constraints: MediaConstraintsOption;
  readonly #emitter: Emitter<CallMediaEvents>;
  #call: Call;
  #iceServers: readonly IceServer[];
  #local: MediaStream;
  #publisher: PeerLeg | null = null;
  #publishing = false;
  #publishAttempts = 0;
  readonly #subs = new Map<string, Subscription>();
  readonly #subscribeAttempts = new Map<string, number>();
  /** Parties whose media the server said is down: not subscribed to until it says up. */
  readonly #down = new Set<string>();
  /** Publishers that are no party of the call (supervisors) the server said are up for this client. */
  readonly #announced = new Map<string, PartyRef>();
  readonly #asSupervisor: boolean;
  #inMedia = false;
  #generation = 0;
  #isClosed = false;
  #micMuted: boolean;
  #cameraOff: boolean;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #unlisten: () => void;

  constructor(options: CallMediaOptions) {
    this.callId = options.join.call.id;
    this.#self = options.self;
    this.#asSupervisor = options.asSupervisor === true;
    this.#signalling = options.signalling;
    this.#env = options.env ?? defaultMediaEnvironment();
    this.#log = options.log ?? createLogger('frontdesk.call', undefined);
    this.#constraints = options.constraints ?? {};
    this.#emitter = new Emitter<CallMediaEvents>((event, err) => this.#log.error('a call media listener threw', { event: String(event), err: String(err) }));
    this.#call = options.join.call;
    this.#iceServers = options.join.iceServers;
    this.#local = options.local;
    const own = this.#own(options.join.call);
    this.#micMuted = own?.micMuted ?? false;
    this.#cameraOff = own?.cameraOff ?? false;
    this.#applyTrackFlags();
    this.#unlisten = onNetworkChange(this.#env, () => this.restartIce());
  }

  on<E extends keyof CallMediaEvents>(event: E, listener: (payload: CallMediaEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  /** The call's ICE servers (its latest join): the screen share legs use them too. */
  get iceServers(): readonly IceServer[] {
    return this.#iceServers;
  }

  get localStream(): MediaStream | null {
    return this.#isClosed ? null : this.#local;
  }

  /** The other parties' streams being received now. */
  get remoteStreams(): { party: PartyRef; stream: MediaStream }[] {
    return [...this.#subs.values()].flatMap((s) => (s.stream ? [{ party: s.party, stream: s.stream }] : []));
  }

  get isMicMuted(): boolean {
    return this.#micMuted;
  }

  get isCameraOff(): boolean {
    return this.#cameraOff;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** A new view of the call: publish once one's leg is in the room, subscribe to the others, stop at the end. */
  update(call: Call): void {
    if (this.#isClosed || call.id !== this.callId) return;
    this.#call = call;
    const own = this.#own(call);
    if (call.phase === 'ended' || !own) return this.close();
    if (!call.mediaReady || !IN_MEDIA.has(own.leg)) return;
    this.#ensurePublished();
    const others = call.participants.filter((p) => p.leg !== 'left' && !(p.role === this.#self.role && p.userId === this.#self.id));
    for (const [key, sub] of this.#subs) if (!others.some((p) => keyOf({ role: p.role, id: p.userId }) === key) && !this.#announced.has(key)) this.#drop(key, sub);
    const isEntering = !this.#inMedia;
    this.#inMedia = true;
    for (const p of others) {
      const party = { role: p.role, id: p.userId };
      const key = keyOf(party);
      if (!PUBLISHING.has(p.leg) || this.#subs.has(key) || this.#down.has(key)) continue;
      if (isEntering) this.#subscribe(party);
      else this.#later(SUBSCRIBE_FALLBACK_MS, () => this.#subscribeIfMissing(party));
    }
    // Supervisors the server let this client receive (a rejoin subscribes to them again).
    if (isEntering) for (const [key, party] of this.#announced) if (!this.#subs.has(key)) this.#subscribe(party);
  }

  /** A signal frame of this call. */
  onSignal(frame: CallSignalFrame): void {
    if (this.#isClosed || frame.callId !== this.callId) return;
    switch (frame.type) {
      case 'call.ice':
        return this.#legs().find((l) => l.legId === frame.legId)?.addRemoteCandidate(frame.candidate);
      case 'call.publisher': {
        const key = keyOf(frame.publisher);
        if (key === keyOf(this.#self)) return;
        const sub = this.#subs.get(key);
        if (sub) this.#drop(key, sub);
        if (!frame.up) {
          this.#down.add(key);
          this.#announced.delete(key);
          return;
        }
        if (!legOf(this.#call, frame.publisher)) this.#announced.set(key, frame.publisher);
        this.#down.delete(key);
        this.#subscribeAttempts.delete(key);
        if (this.#inMedia) this.#subscribe(frame.publisher);
        return;
      }
      case 'call.ice-failed': {
        const leg = this.#legs().find((l) => l.legId === frame.legId);
        if (leg) this.#restart(leg, true);
        return;
      }
    }
  }

  /** Mutes or unmutes one's microphone: the track at once, then the server, which stops relaying it too. */
  async setMicMuted(muted: boolean): Promise<void> {
    this.#micMuted = muted;
    this.#applyTrackFlags();
    await this.#signalling.request({ type: 'call.media', callId: this.callId, micMuted: muted });
  }

  /** Turns one's camera off (the others' picture stops) or on again. */
  async setCameraOff(off: boolean): Promise<void> {
    this.#cameraOff = off;
    this.#applyTrackFlags();
    await this.#signalling.request({ type: 'call.media', callId: this.callId, cameraOff: off });
  }

  /**
   * Switches microphone and/or camera during the call: the new track replaces the old one on the
   * publisher leg (no renegotiation), or is added with a renegotiation when that kind was not sent.
   */
  async switchDevices(choice: DeviceChoice): Promise<void> {
    const wanted: ['audio' | 'video', string][] = [];
    if (choice.audioInputId) wanted.push(['audio', choice.audioInputId]);
    if (choice.videoInputId && this.#call.kind === 'video') wanted.push(['video', choice.videoInputId]);
    for (const [kind, deviceId] of wanted) {
      const track = await openDeviceTrack(kind, deviceId, this.#constraints[kind], this.#env);
      if (this.#isClosed) return track.stop();
      const old = replaceTrack(this.#local, track);
      this.#applyTrackFlags();
      if (this.#publisher) await sendTrack(this.#publisher, this.#local, track, old, this.#signalling, this.callId);
    }
    this.#emitter.emit('localStream', { stream: this.#local });
  }

  /** ICE restart of every leg (the network changed). */
  restartIce(): void {
    for (const leg of this.#legs()) this.#restart(leg, false);
  }

  /** The socket came back (a reconnect, or this page reloaded): publish and subscribe again with the `call.rejoin` reply. */
  reconnect(join: CallJoin): void {
    if (this.#isClosed) return;
    this.#resetLegs();
    this.#iceServers = join.iceServers;
    this.update(join.call);
  }

  /** Stops everything: legs, one's tracks, timers. The remote streams end (`remoteStream` with null). */
  close(): void {
    if (this.#isClosed) return;
    this.#resetLegs();
    this.#isClosed = true;
    stopTracks(this.#local);
    this.#unlisten();
    this.#emitter.emit('localStream', { stream: null });
    this.#emitter.clear();
  }

  // ── legs ─────────────────────────────────────────────────────────────────────────────

  #own(call: Call): { leg: string; micMuted: boolean; cameraOff: boolean } | undefined {
    return legOf(call, this.#self) ?? (this.#asSupervisor ? SUPERVISOR_LEG : undefined);
  }

  #applyTrackFlags(): void {
    for (const t of this.#local.getAudioTracks()) t.enabled = !this.#micMuted;
    for (const t of this.#local.getVideoTracks()) t.enabled = !this.#cameraOff;
  }

  #newLeg(kind: PeerLeg['kind']): PeerLeg {
    const leg = new PeerLeg(kind, this.#env.RTCPeerConnection!, this.#iceServers, (legId, candidate) => this.#signalling.notify({ type: 'call.ice', callId: this.callId, legId, candidate }));
    leg.pc.oniceconnectionstatechange = () => {
      if (leg.pc.iceConnectionState === 'failed') this.#restart(leg, false);
    };
    return leg;
  }

  /** The legs open now: the publisher and the subscriptions'. */
  #legs(): PeerLeg[] {
    return [this.#publisher, ...[...this.#subs.values()].map((s) => s.leg)].filter((leg): leg is PeerLeg => leg !== null);
  }

  #resetLegs(): void {
    this.#generation++;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#publisher?.close();
    this.#publisher = null;
    this.#publishing = false;
    this.#publishAttempts = 0;
    for (const [key, sub] of this.#subs) this.#drop(key, sub);
    this.#subscribeAttempts.clear();
    this.#down.clear();
    this.#inMedia = false;
  }

  #later(delayMs: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#isClosed) work();
    }, delayMs);
    this.#timers.add(timer);
  }

  #ensurePublished(): void {
    if (this.#publisher || this.#publishing) return;
    this.#publishing = true;
    const generation = this.#generation;
    const leg = this.#newLeg('publisher');
    const work = async () => {
      if (!(await publishOn(leg, this.#local, this.#signalling, this.callId, 'call', () => generation === this.#generation))) return leg.close();
      this.#publisher = leg;
      this.#publishAttempts = 0;
    };
    work()
      .catch((err: unknown) => {
        leg.close();
        if (generation !== this.#generation) return;
        const error = toSdkError(err, 'FD_SDK_MEDIA_FAILED');
        this.#log.warn('publishing failed', { callId: this.callId, code: error.code, message: error.message });
        if (++this.#publishAttempts >= MAX_ATTEMPTS) return this.#emitter.emit('error', error);
        this.#later(RETRY_DELAY_MS, () => this.update(this.#call));
      })
      .finally(() => {
        if (generation === this.#generation) this.#publishing = false;
      });
  }

  #subscribeIfMissing(party: PartyRef): void {
    const key = keyOf(party);
    const p = legOf(this.#call, party);
    const isUp = (p !== undefined && PUBLISHING.has(p.leg)) || this.#announced.has(key);
    if (isUp && !this.#subs.has(key) && !this.#down.has(key)) this.#subscribe(party);
  }

  #subscribe(party: PartyRef): void {
    const key = keyOf(party);
    const sub: Subscription = { party, leg: null, stream: null };
    this.#subs.set(key, sub);
    const generation = this.#generation;
    const isCurrent = () => generation === this.#generation && this.#subs.get(key) === sub;
    const work = async () => {
      const { legId, offer } = await this.#signalling.request<{ legId: string; offer: RTCSessionDescriptionInit }>({ type: 'call.subscribe', callId: this.callId, publisher: party });
      // NOTE: a subscription replaced meanwhile keeps its leg at the server until the call ends; rare (a republish during the request).
      if (!isCurrent()) return;
      const leg = this.#newLeg('subscriber');
      sub.leg = leg;
      leg.named(legId);
      const stream = new this.#env.MediaStream!();
      leg.pc.ontrack = (event) => {
        stream.addTrack(event.track);
        if (sub.stream || !isCurrent()) return;
        sub.stream = stream;
        this.#emitter.emit('remoteStream', { party, stream });
      };
      await answerSubscription(leg, offer, this.#signalling, this.callId, 'call');
      this.#subscribeAttempts.delete(key);
    };
    work().catch((err: unknown) => {
      if (!isCurrent()) return;
      this.#drop(key, sub);
      const attempts = (this.#subscribeAttempts.get(key) ?? 0) + 1;
      this.#subscribeAttempts.set(key, attempts);
      const error = toSdkError(err, 'FD_SDK_MEDIA_FAILED');
      this.#log.warn('subscribing failed', { callId: this.callId, publisher: key, code: error.code, message: error.message, attempts });
      if (attempts < MAX_ATTEMPTS) this.#later(RETRY_DELAY_MS, () => this.#subscribeIfMissing(party));
    });
  }

  #drop(key: string, sub: Subscription): void {
    if (this.#subs.get(key) === sub) this.#subs.delete(key);
    sub.leg?.close();
    if (sub.stream) this.#emitter.emit('remoteStream', { party: sub.party, stream: null });
    sub.stream = null;
  }

  /** ICE restart of one leg; `force` for the server's `ice-failed` (its side failed, whatever ours says). */
  #restart(leg: PeerLeg, force: boolean): void {
    restartLeg(leg, this.#signalling, this.callId, 'call', force)?.catch((err: unknown) => {
      if (leg.isClosed) return;
      const error = toSdkError(err, 'FD_SDK_MEDIA_FAILED');
      this.#log.warn('ICE restart failed: the leg is opened again', { callId: this.callId, leg: leg.kind, code: error.code });
      // The server forgot the leg (or the restart cannot work): a new leg replaces it.
      if (leg === this.#publisher) {
        leg.close();
        this.#publisher = null;
        this.update(this.#call);
        return;
      }
      for (const [key, sub] of this.#subs) {
        if (sub.leg !== leg) continue;
        this.#drop(key, sub);
        this.#subscribe(sub.party);
      }
    });
  }
}
