import type { Call, CallEndReason, CallJoin, CallKind, CallPhase, CallSupervisionJoin, IceServer, PartyRef, ServerFrame, SupervisionMode } from '@frontdesk/protocol';
import { CallMedia } from './call-media.ts';
import type { CallSignalFrame, CallSignalling } from './call-signalling.ts';
import { Emitter } from './emitter.ts';
import { SdkError, toSdkError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { defaultMediaEnvironment, listMediaDevices, openLocalMedia, stopTracks, type DeviceChoice, type MediaConstraintsOption, type MediaDeviceLists, type MediaEnvironment } from './media-devices.ts';

export interface CallControllerOptions {
  /** This client in calls (null before it knows who it is: frames are ignored). */
  self: () => PartyRef | null;
  signalling: CallSignalling;
  /**
   * Reads a call (`GET /v1/calls/:id`): a call that ended while the socket was down is not in the
   * next hello and its frames were missed; its final view is read, so that it still ends here.
   */
  readCall?: ((callId: string) => Promise<Call>) | undefined;
  constraints?: MediaConstraintsOption | undefined;
  devices?: DeviceChoice | undefined;
  env?: MediaEnvironment | undefined;
  log?: Logger | undefined;
}

export interface CallControllerEvents {
  /** A call this client is in changed (every view the server sends, ringing ones included). */
  call: Call;
  /** Its phase changed (`previous` null: first seen). */
  callState: { call: Call; phase: CallPhase; previous: CallPhase | null };
  /**
   * It ended (once per call), with the reason and the side that ended it. `isLate`: learned after a
   * reconnect (it ended while the socket was down; what the server said meanwhile was missed).
   */
  callEnded: { call: Call; reason: CallEndReason | null; hungUpSide: Call['hungUpSide']; isLate: boolean };
  /** Another party's media to render, or null once gone. */
  remoteStream: { callId: string; party: PartyRef; stream: MediaStream | null };
  /** One's own camera and microphone (for a self view), or null once the call's media stopped. */
  localStream: { callId: string; stream: MediaStream | null };
  /** The call's media failed (publishing gave up, a rejoin failed); the call goes on until someone ends it. */
  callError: { callId: string; error: SdkError };
}

/** What the app can read of a call's media. */
export interface CallMediaState {
  localStream: MediaStream | null;
  remoteStreams: { party: PartyRef; stream: MediaStream }[];
  isMicMuted: boolean;
  isCameraOff: boolean;
}

const IN_MEDIA: ReadonlySet<string> = new Set(['connecting', 'connected', 'held']);
/** Ended calls kept for reading after their end. */
const ENDED_KEPT = 20;

/**
 * The calls of one client (visitor or agent) over its socket: what the server says of them (`call`
 * frames, the live calls of each `hello`), and for each one this client takes part in, its media
 * (`CallMedia`). Starting, answering and rejoining open the microphone and camera first, so that a
 * refused permission or a missing device fails before anybody is rung or answered.
 */
export class CallController {
  readonly #options: CallControllerOptions;
  readonly #env: MediaEnvironment;
  readonly #log: Logger;
  readonly #emitter: Emitter<CallControllerEvents>;
  readonly #calls = new Map<string, Call>();
  readonly #media = new Map<string, CallMedia>();
  /** Calls whose media is being opened (getUserMedia, rejoin): not opened twice. */
  readonly #opening = new Set<string>();
  /** Calls this client supervises by voice without being a party of them (SPEC M28). */
  readonly #supervised = new Set<string>();
  #devices: DeviceChoice;

  constructor(options: CallControllerOptions) {
    this.#options = options;
    this.#env = options.env ?? defaultMediaEnvironment();
    this.#log = options.log ?? createLogger('frontdesk.calls', undefined);
    this.#emitter = new Emitter<CallControllerEvents>((event, err) => this.#log.error('a call listener threw', { event: String(event), err: String(err) }));
    this.#devices = { ...options.devices };
  }

  on<E extends keyof CallControllerEvents>(event: E, listener: (payload: CallControllerEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  /** The calls known, live first (newest first within each). */
  list(): Call[] {
    return [...this.#calls.values()].sort((a, b) => Number(a.phase === 'ended') - Number(b.phase === 'ended') || b.createdAt - a.createdAt);
  }

  get(callId: string): Call | null {
    return this.#calls.get(callId) ?? null;
  }

  mediaOf(callId: string): CallMediaState | null {
    const media = this.#media.get(callId);
    return media ? { localStream: media.localStream, remoteStreams: media.remoteStreams, isMicMuted: media.isMicMuted, isCameraOff: media.isCameraOff } : null;
  }

  /** The ICE servers of a call whose media runs here (none: host candidates only). */
  iceServersOf(callId: string): readonly IceServer[] {
    return this.#media.get(callId)?.iceServers ?? [];
  }

  /** The devices calls use from now on (and, with a live call, switched to now). */
  get devices(): DeviceChoice {
    return { ...this.#devices };
  }

  listDevices(): Promise<MediaDeviceLists> {
    return listMediaDevices(this.#env);
  }

  /** A new call (`call.start` from a visitor, `call.invite` or `call.internal` from an agent): local media first, then the call. */
  async start(frame: { type: 'call.start' | 'call.invite'; conversationId: string; kind: CallKind } | { type: 'call.internal'; calleeUserId: string; kind: CallKind }): Promise<Call> {
    const local = await this.#openLocal(frame.kind);
    return this.#attach(await this.#joined(local, () => this.#options.signalling.request<CallJoin>(frame)), local, true);
  }

  /** Answers a ringing call: local media first, then `call.accept`. */
  async accept(callId: string, kind?: CallKind): Promise<Call> {
    const local = await this.#openLocal(kind ?? this.#calls.get(callId)?.kind ?? 'video');
    return this.#attach(await this.#joined(local, () => this.#options.signalling.request<CallJoin>({ type: 'call.accept', callId })), local, true);
  }

  async refuse(callId: string, reason: 'refused' | 'busy' = 'refused'): Promise<void> {
    await this.#options.signalling.request({ type: 'call.refuse', callId, reason });
  }

  async hangUp(callId: string): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({ type: 'call.hangup', callId });
    this.#ingest(call);
    return call;
  }

  async hold(callId: string, held: boolean): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({ type: 'call.hold', callId, held });
    this.#ingest(call);
    return call;
  }

  /**
   * Blind transfer of the call this agent holds (TCCC `Call.transfer`): to an agent (`userId`, who
   * rings) or a queue (`skillGroupId`); the visitor waits on hold and this client leaves the call.
   */
  async transfer(callId: string, to: { userId?: string | undefined; skillGroupId?: string | undefined }): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({
      type: 'call.transfer',
      callId,
      ...(to.userId !== undefined ? { userId: to.userId } : {}),
      ...(to.skillGroupId !== undefined ? { skillGroupId: to.skillGroupId } : {}),
    });
    this.#ingest(call);
    return call;
  }

  /** Consult another agent while the visitor waits on hold (hearing nobody). */
  async consult(callId: string, userId: string): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({ type: 'call.consult', callId, userId });
    this.#ingest(call);
    return call;
  }

  /** Invites a third party into the call this agent holds: an agent (`userId`) or a visitor (`visitorId`), who rings. */
  async addParty(callId: string, invitee: { userId: string } | { visitorId: string }): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({ type: 'call.add_party', callId, ...invitee });
    this.#ingest(call);
    return call;
  }

  /** Ends a consult: `complete` (three-way; hang up to leave the call to the consulted agent) or `cancel` (back to the visitor). */
  async endConsult(callId: string, how: 'complete' | 'cancel'): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({ type: 'call.consult.end', callId, how });
    this.#ingest(call);
    return call;
  }

  /** Mutes one's microphone (the track and, through the server, the relay). Without media here, only the server's flag. */
  async setMicMuted(callId: string, muted: boolean): Promise<void> {
    const media = this.#media.get(callId);
    if (media) return media.setMicMuted(muted);
    this.#ingest(await this.#options.signalling.request<Call>({ type: 'call.media', callId, micMuted: muted }));
  }

  async setCameraOff(callId: string, off: boolean): Promise<void> {
    const media = this.#media.get(callId);
    if (media) return media.setCameraOff(off);
    this.#ingest(await this.#options.signalling.request<Call>({ type: 'call.media', callId, cameraOff: off }));
  }

  /** Chooses the microphone and/or camera for the calls to come and switches the live ones to it. */
  async switchDevices(choice: DeviceChoice): Promise<void> {
    this.#devices = { ...this.#devices, ...choice };
    for (const media of this.#media.values()) await media.switchDevices(choice);
  }

  /**
   * After each hello: the live calls of this client. Those it is in the media of are rejoined (a
   * reconnect, or this page reloaded): `call.rejoin`, then publish and subscribe again.
   */
  onHello(live: readonly Call[]): void {
    for (const call of live) {
      if (!this.#ingest(call)) continue;
      const own = this.#own(call);
      if (own && IN_MEDIA.has(own.leg)) void this.#rejoin(call);
    }
    // Calls this client thought live and the server does not list ended while it was away.
    for (const [id, media] of this.#media) {
      if (live.some((c) => c.id === id)) continue;
      media.close();
      this.#media.delete(id);
    }
    for (const call of this.#calls.values()) {
      if (call.phase === 'ended' || live.some((c) => c.id === call.id)) continue;
      this.#options
        .readCall?.(call.id)
        .then((view) => this.#ingest(view, true))
        .catch((err: unknown) => this.#log.warn('reading a call that ended meanwhile failed', { callId: call.id, err: String(err) }));
    }
  }

  /** A frame of the server about calls; other frames are ignored. */
  onFrame(frame: ServerFrame): void {
    if (frame.type === 'call') this.#ingest(frame.call);
    else if (frame.type === 'call.ice' || frame.type === 'call.publisher' || frame.type === 'call.ice-failed') this.#media.get(frame.callId)?.onSignal(frame as CallSignalFrame);
  }

  /**
   * Supervises a call (SPEC M28; TCCC `Call.monitor`): `monitor`, `whisper` or `barge`, or `stop`.
   * By voice, the first mode opens the microphone and joins the call's media (publishing, and
   * receiving the parties); a switch only asks the server, which changes who receives this client
   * (its legs stay). Text-only monitoring joins no media. Answers the call as the server sent it.
   */
  async supervise(callId: string, mode: SupervisionMode | 'stop', textOnly = false): Promise<CallSupervisionJoin> {
    const existing = this.#media.get(callId);
    const joinsMedia = mode !== 'stop' && !textOnly && !existing;
    const local = joinsMedia ? await this.#openLocal('audio') : null;
    const join = await this.#joined(local, () => this.#options.signalling.request<CallSupervisionJoin>({ type: 'call.supervise', callId, mode, ...(textOnly ? { textOnly } : {}) }));
    if (mode === 'stop' || textOnly) {
      if (this.#supervised.delete(callId)) {
        existing?.close();
        this.#media.delete(callId);
      }
      return join;
    }
    if (local) {
      this.#supervised.add(callId);
      this.#attach({ call: join.call, iceServers: join.iceServers }, local, false, true);
    }
    return join;
  }

  /** Takes a supervised call over (TCCC `Call.intercept`): this client becomes its agent; its media goes on as it is. */
  async intercept(callId: string): Promise<Call> {
    const call = await this.#options.signalling.request<Call>({ type: 'call.intercept', callId });
    this.#supervised.delete(callId);
    this.#ingest(call);
    return call;
  }

  /** Forgets an ended call (TCCC `deleteCall`). */
  forget(callId: string): void {
    if (this.#calls.get(callId)?.phase === 'ended') this.#calls.delete(callId);
  }

  /** Stops every call's media (the client stops); the calls themselves go on at the server. */
  close(): void {
    for (const media of this.#media.values()) media.close();
    this.#media.clear();
  }

  // ─────────────────────────────────────────────────────────────────────────────────────

  #own(call: Call) {
    const self = this.#options.self();
    return self ? call.participants.find((p) => p.role === self.role && p.userId === self.id && p.leg !== 'left') : undefined;
  }

  #openLocal(kind: CallKind): Promise<MediaStream> {
    return openLocalMedia({ video: kind === 'video', devices: this.#devices, constraints: this.#options.constraints, env: this.#env });
  }

  /** The server's reply to a request that opened the microphone (and camera) first: refused, the tracks stop. */
  async #joined<J>(local: MediaStream | null, request: () => Promise<J>): Promise<J> {
    try {
      return await request();
    } catch (err) {
      stopTracks(local);
      throw toSdkError(err, 'FD_SDK_NETWORK');
    }
  }

  /** Records a view of a call this client is in; false when it is not in it. */
  #ingest(call: Call, isLate = false): boolean {
    const self = this.#options.self();
    if (!self) return false;
    if (!call.participants.some((p) => p.role === self.role && p.userId === self.id)) {
      // A call supervised by voice: its media follows the call's views, and ends with it.
      if (!this.#supervised.has(call.id)) return false;
      this.#calls.set(call.id, call);
      this.#media.get(call.id)?.update(call);
      if (call.phase === 'ended') {
        this.#supervised.delete(call.id);
        this.#media.delete(call.id);
      }
      return true;
    }
    const previous = this.#calls.get(call.id);
    this.#calls.set(call.id, call);
    this.#emitter.emit('call', call);
    if (previous?.phase !== call.phase) this.#emitter.emit('callState', { call, phase: call.phase, previous: previous?.phase ?? null });
    const media = this.#media.get(call.id);
    media?.update(call);
    if (call.phase === 'ended' && previous?.phase !== 'ended') {
      this.#media.delete(call.id);
      this.#emitter.emit('callEnded', { call, reason: call.endReason, hungUpSide: call.hungUpSide, isLate });
      this.#trimEnded();
    }
    return true;
  }

  #trimEnded(): void {
    const ended = [...this.#calls.values()].filter((c) => c.phase === 'ended').sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    for (const call of ended.slice(ENDED_KEPT)) this.#calls.delete(call.id);
  }

  /** The media of a call this client answered, started or rejoined. */
  #attach(join: CallJoin, local: MediaStream, preferKnown: boolean, asSupervisor = false): Call {
    const self = this.#options.self()!;
    const callId = join.call.id;
    this.#media.get(callId)?.close();
    const media = new CallMedia({ join, self, local, signalling: this.#options.signalling, constraints: this.#options.constraints, env: this.#env, log: this.#log.child('media'), asSupervisor });
    media.on('remoteStream', ({ party, stream }) => this.#emitter.emit('remoteStream', { callId, party, stream }));
    media.on('localStream', ({ stream }) => this.#emitter.emit('localStream', { callId, stream }));
    media.on('error', (error) => this.#emitter.emit('callError', { callId, error }));
    this.#media.set(callId, media);
    this.#emitter.emit('localStream', { callId, stream: local });
    // NOTE: the frames of a decision reach this socket before the reply to the request that made it,
    // so a view already received is as new as the reply; a rejoin's reply is a fresh read.
    const known = this.#calls.get(callId);
    const view = preferKnown && known ? known : join.call;
    if (!this.#ingest(view)) media.update(view);
    return view;
  }

  async #rejoin(call: Call): Promise<void> {
    const callId = call.id;
    if (this.#opening.has(callId)) return;
    this.#opening.add(callId);
    try {
      const join = await this.#options.signalling.request<CallJoin>({ type: 'call.rejoin', callId });
      const media = this.#media.get(callId);
      if (media && !media.isClosed) {
        media.reconnect(join);
        this.#ingest(join.call);
        return;
      }
      const local = await this.#openLocal(join.call.kind);
      if (this.#calls.get(callId)?.phase === 'ended') return stopTracks(local);
      this.#attach(join, local, false);
    } catch (err) {
      const error = toSdkError(err, 'FD_SDK_MEDIA_FAILED');
      this.#log.warn('rejoining a call failed', { callId, code: error.code, message: error.message });
      this.#emitter.emit('callError', { callId, error });
    } finally {
      this.#opening.delete(callId);
    }
  }
}
