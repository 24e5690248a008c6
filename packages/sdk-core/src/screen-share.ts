import type { CallShareEvent, IceServer, PartyRef, ScreenShare, ScreenShareState, ServerFrame } from '@frontdesk/protocol';
import type { CallSignalling } from './call-signalling.ts';
import { Emitter } from './emitter.ts';
import { SdkError, toSdkError } from './errors.ts';
import { answerSubscription, publishOn, restartLeg } from './leg-negotiation.ts';
import { createLogger, type Logger } from './logger.ts';
import { defaultMediaEnvironment, onNetworkChange, stopTracks, type MediaEnvironment } from './media-devices.ts';
import { PeerLeg } from './peer-leg.ts';

/** What the server says of screen shares and of this client's screen legs. */
export type ScreenShareSignalFrame = Extract<ServerFrame, { type: 'call.share' | 'call.share.ice' | 'call.share.ice-failed' }>;

export interface ScreenShareOptions {
  self: () => PartyRef | null;
  /** The SDK's socket: the same as the calls' (`call.share.*` frames). */
  signalling: CallSignalling;
  /** The ICE servers of a call this client is in (its `CallJoin`'s); none: host candidates only. */
  iceServersOf: (callId: string) => readonly IceServer[];
  /** Where the WebRTC APIs and the screen picker (`mediaDevices.getDisplayMedia`) come from; default the page's. */
  env?: MediaEnvironment | undefined;
  log?: Logger | undefined;
}

export interface ScreenShareEvents {
  /** Every `call.share` of the server: open, close, invited, declined (with the call's shares after it). */
  share: CallShareEvent;
  /** Another party's screen to render, or null once it closed. */
  remoteScreen: { callId: string; party: PartyRef; stream: MediaStream | null };
  /** One's own shared screen (to show "you are sharing"), or null once it stopped. */
  localScreen: { callId: string; stream: MediaStream | null };
  error: { callId: string; error: SdkError };
}

interface Local {
  leg: PeerLeg;
  stream: MediaStream;
}

interface Remote {
  callId: string;
  sharer: PartyRef;
  leg: PeerLeg;
}

const keyOf = (callId: string, party: PartyRef) => `${callId}|${party.role}:${party.id}`;
const isSame = (a: PartyRef, b: PartyRef) => a.role === b.role && a.id === b.id;

/**
 * One client's screen shares, over the SDK's socket: publishing its own screen on a leg of its own
 * (`call.share.publish`; the browser's picker first), receiving the other parties' screens
 * (`call.share.subscribe` on each `open`), and the invitation and its answer. Apart from the camera's
 * `CallMedia`: a screen comes and goes without touching the call's other legs. Like the camera's legs,
 * a screen leg restarts its ICE when the browser or the server says ICE failed, or the network changed.
 */
export class ScreenShareController {
  readonly #options: ScreenShareOptions;
  readonly #env: MediaEnvironment;
  readonly #log: Logger;
  readonly #emitter: Emitter<ScreenShareEvents>;
  readonly #local = new Map<string, Local>();
  readonly #remote = new Map<string, Remote>();
  /** The shares of each call as the server last said. */
  readonly #shares = new Map<string, ScreenShare[]>();
  readonly #unlisten: () => void;

  constructor(options: ScreenShareOptions) {
    this.#options = options;
    this.#env = options.env ?? defaultMediaEnvironment();
    this.#log = options.log ?? createLogger('frontdesk.screen', undefined);
    this.#emitter = new Emitter<ScreenShareEvents>((event, err) => this.#log.error('a screen share listener threw', { event: String(event), err: String(err) }));
    this.#unlisten = onNetworkChange(this.#env, () => this.restartIce());
  }

  on<E extends keyof ScreenShareEvents>(event: E, listener: (payload: ScreenShareEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  /** Whether a screen is shared in the call now (as the server last said; `state` asks it). */
  isSharing(callId: string): boolean {
    return (this.#shares.get(callId) ?? []).length > 0;
  }

  /** `isShareState`: the call's shares, from the server. */
  async state(callId: string): Promise<ScreenShareState> {
    const state = await this.#options.signalling.request<ScreenShareState>({ type: 'call.share.state', callId });
    this.#shares.set(callId, state.shares);
    return state;
  }

  /** An agent invites the call's visitor to share. */
  invite(callId: string): Promise<void> {
    return this.#options.signalling.request({ type: 'call.share.invite', callId });
  }

  /** The visitor's "not now" (or its browser could not share). */
  decline(callId: string, reason: 'refused' | 'unavailable' = 'refused'): Promise<void> {
    return this.#options.signalling.request({ type: 'call.share.decline', callId, reason });
  }

  /**
   * Shares a screen in the call: the browser's picker, then its own publisher leg. A picker the user
   * cancels rejects with FD_SDK_MEDIA_PERMISSION_DENIED and publishes nothing. The browser's own
   * "Stop sharing" ends the share as `stop` does.
   */
  async start(callId: string): Promise<MediaStream> {
    const existing = this.#local.get(callId);
    if (existing) return existing.stream;
    const devices = this.#env.mediaDevices;
    if (!this.#env.RTCPeerConnection || !devices?.getDisplayMedia) throw new SdkError('FD_SDK_MEDIA_UNSUPPORTED', 'this browser cannot share a screen');
    const screen = await devices.getDisplayMedia({ video: true, audio: false }).catch((err: unknown) => {
      const name = (err as { name?: string })?.name;
      throw new SdkError(name === 'NotAllowedError' || name === 'AbortError' ? 'FD_SDK_MEDIA_PERMISSION_DENIED' : 'FD_SDK_MEDIA_FAILED', `no screen to share: ${String((err as Error)?.message ?? err)}`);
    });
    const track = screen.getVideoTracks()[0];
    if (!track) {
      stopTracks(screen);
      throw new SdkError('FD_SDK_MEDIA_FAILED', 'the screen capture has no video');
    }
    const leg = this.#newLeg('publisher', callId);
    this.#local.set(callId, { leg, stream: screen });
    track.addEventListener('ended', () => void this.stop(callId).catch(() => undefined));
    // NOTE: `detail` hints the encoder to keep text sharp rather than motion smooth.
    if ('contentHint' in track) track.contentHint = 'detail';
    try {
      await publishOn(leg, screen, this.#options.signalling, callId, 'call.share');
    } catch (err) {
      this.#dropLocal(callId);
      throw toSdkError(err, 'FD_SDK_MEDIA_FAILED');
    }
    this.#emitter.emit('localScreen', { callId, stream: screen });
    return screen;
  }

  /** Stops one's share (the capture ends; the others' views of it close). */
  async stop(callId: string): Promise<void> {
    if (!this.#local.has(callId)) return;
    // NOTE: the server first, then the leg: a leg closed first would reach the others as a share lost, not stopped.
    await this.#options.signalling.request({ type: 'call.share.stop', callId }).catch((err: unknown) => this.#log.warn('stopping a share failed', { callId, err: String(err) }));
    this.#dropLocal(callId);
  }

  /** ICE restart of every screen leg (the network changed). */
  restartIce(): void {
    for (const [callId, { leg }] of this.#local) this.#restart(callId, leg, false);
    for (const { callId, leg } of this.#remote.values()) this.#restart(callId, leg, false);
  }

  /** A frame of the server about shares; others are ignored. */
  onFrame(frame: ServerFrame): void {
    if (frame.type === 'call.share.ice' || frame.type === 'call.share.ice-failed') {
      const local = this.#local.get(frame.callId)?.leg;
      const leg = local?.legId === frame.legId ? local : [...this.#remote.values()].find((r) => r.leg.legId === frame.legId)?.leg;
      if (frame.type === 'call.share.ice') leg?.addRemoteCandidate(frame.candidate);
      else if (leg) this.#restart(frame.callId, leg, true);
      return;
    }
    if (frame.type === 'call' && frame.call.phase === 'ended') {
      this.#endCall(frame.call.id);
      return;
    }
    if (frame.type !== 'call.share') return;
    this.#shares.set(frame.callId, frame.shares);
    const self = this.#options.self();
    const isSelf = self !== null && isSame(frame.by, self);
    if (frame.event === 'open' && !isSelf) void this.#subscribe(frame.callId, frame.by);
    if (frame.event === 'close') {
      if (isSelf) this.#dropLocal(frame.callId);
      else this.#dropRemote(frame.callId, frame.by);
    }
    this.#emitter.emit('share', frame);
  }

  /** After a reconnect: legs belonged to the old socket (the server closed them); the screens shared now are received again. */
  async onReconnect(liveCallIds: readonly string[]): Promise<void> {
    for (const callId of [...this.#local.keys()]) this.#dropLocal(callId);
    for (const { callId, sharer } of [...this.#remote.values()]) this.#dropRemote(callId, sharer);
    const self = this.#options.self();
    for (const callId of liveCallIds) {
      const { shares } = await this.state(callId).catch(() => ({ shares: [] as ScreenShare[] }));
      for (const share of shares) if (!self || !isSame(share.sharer, self)) void this.#subscribe(callId, share.sharer);
    }
  }

  close(): void {
    this.#unlisten();
    for (const callId of new Set([...this.#local.keys(), ...[...this.#remote.values()].map((r) => r.callId)])) this.#endCall(callId);
  }

  // ─────────────────────────────────────────────────────────────────────────────────────

  #newLeg(kind: PeerLeg['kind'], callId: string): PeerLeg {
    const leg = new PeerLeg(kind, this.#env.RTCPeerConnection!, this.#options.iceServersOf(callId), (legId, candidate) => this.#options.signalling.notify({ type: 'call.share.ice', callId, legId, candidate }));
    leg.pc.oniceconnectionstatechange = () => {
      if (leg.pc.iceConnectionState === 'failed') this.#restart(callId, leg, false);
    };
    return leg;
  }

  /**
   * ICE restart of one screen leg (`force`: the server's `ice-failed`). A subscription whose restart fails
   * (the server forgot the leg) is opened again while the share is still open; a share whose restart fails
   * is closed by the server as lost, and ends here then.
   */
  #restart(callId: string, leg: PeerLeg, force: boolean): void {
    restartLeg(leg, this.#options.signalling, callId, 'call.share', force)?.catch((err: unknown) => {
      if (leg.isClosed) return;
      this.#log.warn('ICE restart of a screen leg failed', { callId, leg: leg.kind, err: String(err) });
      const remote = [...this.#remote.values()].find((r) => r.leg === leg);
      if (remote && (this.#shares.get(callId) ?? []).some((s) => isSame(s.sharer, remote.sharer))) void this.#subscribe(callId, remote.sharer);
    });
  }

  async #subscribe(callId: string, sharer: PartyRef): Promise<void> {
    if (!this.#env.RTCPeerConnection) return;
    const key = keyOf(callId, sharer);
    this.#dropRemote(callId, sharer);
    const leg = this.#newLeg('subscriber', callId);
    this.#remote.set(key, { callId, sharer, leg });
    const isCurrent = () => this.#remote.get(key)?.leg === leg;
    leg.pc.ontrack = (event) => {
      if (!isCurrent()) return;
      const stream = event.streams[0] ?? new this.#env.MediaStream!([event.track]);
      this.#emitter.emit('remoteScreen', { callId, party: sharer, stream });
    };
    try {
      const { legId, offer } = await this.#options.signalling.request<{ legId: string; offer: RTCSessionDescriptionInit }>({ type: 'call.share.subscribe', callId, sharer });
      if (!isCurrent()) return;
      leg.named(legId);
      await answerSubscription(leg, offer, this.#options.signalling, callId, 'call.share');
    } catch (err) {
      if (isCurrent()) this.#dropRemote(callId, sharer);
      this.#emitter.emit('error', { callId, error: toSdkError(err, 'FD_SDK_MEDIA_FAILED') });
    }
  }

  #dropLocal(callId: string): void {
    const local = this.#local.get(callId);
    if (!local) return;
    this.#local.delete(callId);
    local.leg.close();
    stopTracks(local.stream);
    this.#emitter.emit('localScreen', { callId, stream: null });
  }

  #dropRemote(callId: string, sharer: PartyRef): void {
    const key = keyOf(callId, sharer);
    const remote = this.#remote.get(key);
    if (!remote) return;
    this.#remote.delete(key);
    remote.leg.close();
    this.#emitter.emit('remoteScreen', { callId, party: sharer, stream: null });
  }

  #endCall(callId: string): void {
    this.#dropLocal(callId);
    for (const remote of [...this.#remote.values()]) if (remote.callId === callId) this.#dropRemote(callId, remote.sharer);
    this.#shares.delete(callId);
  }
}
