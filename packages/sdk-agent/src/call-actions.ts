import type { Call, CallKind, CallNoticeEvent, CallPhotoEvent, CaptureStored, PhotoRequested, ScreenShareState, ServerFrame, Visitor } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import { CallController, captureFrame, ScreenShareController, type CallRequestFrame, type CallSignalling, type DeviceChoice, type MediaConstraintsOption } from '@frontdesk/sdk-core/calls';
import type { Emit } from './agent-events.ts';
import type { AgentConnection } from './connection.ts';
import type { RestClient } from './rest.ts';
import { failure } from './results.ts';

export interface CallActionsDeps {
  connection: AgentConnection;
  rest: RestClient;
  emit: Emit;
  log: Logger;
  agentId: () => string | null;
  constraints: MediaConstraintsOption | undefined;
}

/** The frames of calls the agent core hands over. */
export type CallFrame = Extract<ServerFrame, { type: 'call' | 'call.notice' | 'call.ice' | 'call.publisher' | 'call.ice-failed' | 'call.photo' | 'call.share' | 'call.share.ice' | 'call.share.ice-failed' }>;

/** How long a photo request waits for the visitor's page (the server's grant lasts 60 s). */
const PHOTO_WAIT_MS = 60_000;
/** Answers kept for photo requests whose reply has not come yet (see `#earlyPhotos`). */
const EARLY_PHOTOS_KEPT = 10;

/** TCCC's name of a call's kind (`callIn.type`, `callOuted.type`). */
const tcccType = (kind: CallKind) => (kind === 'audio' ? 'voip' : 'video');

/** TCCC `closeBy` of a call's end, as the server's notice would have said it (for an end learned late). */
function closeByOf(call: Call): 'client' | 'seat' | 'admin' | 'timer' {
  if (call.endReason === 'visitor_timeout' || call.endReason === 'callee_timeout') return 'timer';
  return call.hungUpSide === 'visitor' ? 'client' : call.hungUpSide === 'agent' ? 'seat' : 'admin';
}

/**
 * The agent's calls (TCCC `Call` and `Video`): sdk-core's `CallController` over the agent's socket
 * (answer, call out, hang up, hold, mute, camera, devices, and the media of each call, rejoined after
 * a reconnect), and the server's per-agent `call.notice` frames turned into the TCCC events (`callIn`
 * voip/video, `userAccessed`, `callOuted`, `calloutAccepted`, `autoTransfer`, `sessionEnded`) and the
 * Easemob `callNotice` (code, previous code). A TCCC `sessionId` of a call is its call id.
 *
 * NOTE: the media runs in the tab holding the connection (the leader with `multiTab`): streams
 * cannot travel between tabs, so `remoteStream` and `localStream` reach only that tab's listeners.
 */
export class CallActions {
  readonly controller: CallController;
  /** Screen shares: the agent's own screen and the others' (sdk-core), beside the calls' camera media. */
  readonly screen: ScreenShareController;
  /** The tab that answered or called out, for `userAccessed` / `callOuted` (multi-tab). */
  readonly #originTab = new Map<string, string>();
  /** Photo requests waiting for the visitor's page, by request id. */
  readonly #photos = new Map<string, (frame: CallPhotoEvent) => void>();
  /**
   * Answers to photo requests that came before the request's own reply: a visitor whose camera is
   * off answers at once, and its answer may overtake the HTTP reply on the socket. A few are kept.
   */
  readonly #earlyPhotos = new Map<string, CallPhotoEvent>();

  constructor(private readonly deps: CallActionsDeps) {
    const { connection, emit } = deps;
    const self = () => (deps.agentId() ? { role: 'agent' as const, id: deps.agentId()! } : null);
    const signalling: CallSignalling = {
      request: <T>(frame: CallRequestFrame) => connection.request<T>(frame),
      notify: (frame) => connection.send(frame),
    };
    this.controller = new CallController({
      self,
      readCall: (callId) => deps.rest.get<Call>(`/v1/calls/${encodeURIComponent(callId)}`),
      signalling,
      constraints: deps.constraints,
      log: deps.log.child('calls'),
    });
    this.screen = new ScreenShareController({
      self,
      signalling,
      iceServersOf: (callId) => this.controller.iceServersOf(callId),
      log: deps.log.child('screen'),
    });
    this.screen.on('share', (f) => emit('screenShare', { sessionId: f.callId, event: f.event, by: f.by, reason: f.reason, shares: f.shares }));
    this.screen.on('remoteScreen', ({ callId, party, stream }) => emit('remoteScreen', { sessionId: callId, party, stream }));
    this.screen.on('localScreen', ({ callId, stream }) => emit('localScreen', { sessionId: callId, stream }));
    const c = this.controller;
    c.on('call', (call) => emit('callUpdated', { call }));
    c.on('remoteStream', ({ callId, party, stream }) => emit('remoteStream', { sessionId: callId, party, stream }));
    c.on('localStream', ({ callId, stream }) => emit('localStream', { sessionId: callId, stream }));
    c.on('callError', ({ callId, error }) => emit('callError', { sessionId: callId, errorCode: error.code, errorMsg: error.message }));
    // NOTE: a call that ended while the socket was down sent its notices to nobody: its end is said from its final view.
    c.on('callEnded', ({ call, isLate }) => {
      if (isLate) emit('sessionEnded', { sessionId: call.id, closeBy: closeByOf(call), type: tcccType(call.kind) });
    });
  }

  list(): Call[] {
    return this.controller.list();
  }

  /** The call meant: the one named, else the agent's only live call. */
  callId(sessionId: string | undefined): string {
    if (sessionId) return sessionId;
    const live = this.controller.list().filter((c) => c.phase !== 'ended');
    if (live.length !== 1) throw failure('FD_CALL_NOT_FOUND', live.length === 0 ? 'no live call' : 'several live calls: name the sessionId');
    return live[0]!.id;
  }

  accept(sessionId: string, originTab?: string): Promise<Call> {
    if (originTab) this.#originTab.set(sessionId, originTab);
    return this.controller.accept(sessionId);
  }

  /** Calls the conversation's visitor (Easemob videoInviteCurrentVisitor). */
  invite(conversationId: string, kind: CallKind, originTab?: string): Promise<Call> {
    return this.controller.start({ type: 'call.invite', conversationId, kind }).then((call) => {
      if (originTab) this.#originTab.set(call.id, originTab);
      return call;
    });
  }

  /** Calls another agent of the app (internal call, TCCC startInternalCall). */
  startInternal(calleeUserId: string, kind: CallKind, originTab?: string): Promise<Call> {
    return this.controller.start({ type: 'call.internal', calleeUserId, kind }).then((call) => {
      if (originTab) this.#originTab.set(call.id, originTab);
      return call;
    });
  }

  hangUp(sessionId?: string): Promise<Call> {
    return this.controller.hangUp(this.callId(sessionId));
  }

  hold(held: boolean, sessionId?: string): Promise<Call> {
    return this.controller.hold(this.callId(sessionId), held);
  }

  setMicMuted(muted: boolean, sessionId?: string): Promise<void> {
    return this.controller.setMicMuted(this.callId(sessionId), muted);
  }

  setCameraOff(off: boolean, sessionId?: string): Promise<void> {
    return this.controller.setCameraOff(this.callId(sessionId), off);
  }

  switchDevices(choice: DeviceChoice): Promise<void> {
    return this.controller.switchDevices(choice);
  }

  /**
   * Easemob `snapshot`: a frame of the visitor's video as this tab receives it, drawn on a canvas and
   * stored as an image of the call's conversation (both sides see it). Needs the call's media here.
   */
  async snapshot(sessionId?: string): Promise<CaptureStored> {
    const callId = this.callId(sessionId);
    const remote = this.controller.mediaOf(callId)?.remoteStreams.find((r) => r.party.role === 'visitor');
    const track = remote?.stream.getVideoTracks().find((t) => t.readyState === 'live');
    if (!track) throw failure('FD_CALL_NOT_ALLOWED', "no video of the visitor in this tab's call");
    const frame = await captureFrame(track).catch((err: unknown) => {
      throw failure('FD_CALL_NOT_ALLOWED', err instanceof Error ? err.message : 'the video gave no frame');
    });
    return this.deps.rest.upload<CaptureStored>(`/v1/calls/${encodeURIComponent(callId)}/snapshots`, frame.blob, {}, frame.blob.type);
  }

  /**
   * Easemob `takePhoto`: asks the visitor's device for a photo from its camera; resolves with the
   * stored image message, or fails with `snapShotDisabled` when the visitor's browser cannot take it
   * (no camera track, the camera refused) or does not answer in time.
   */
  async takePhoto(sessionId?: string): Promise<CaptureStored> {
    const callId = this.callId(sessionId);
    const { requestId } = await this.deps.rest.post<PhotoRequested>(`/v1/calls/${encodeURIComponent(callId)}/photo-requests`);
    const early = this.#earlyPhotos.get(requestId);
    this.#earlyPhotos.delete(requestId);
    const frame = early ?? (await new Promise<CallPhotoEvent | null>((resolve) => {
      const timer = setTimeout(() => (this.#photos.delete(requestId), resolve(null)), PHOTO_WAIT_MS);
      this.#photos.set(requestId, (f) => (clearTimeout(timer), this.#photos.delete(requestId), resolve(f)));
    }));
    if (!frame?.message) throw failure('snapShotDisabled', frame?.error?.msg ?? "the visitor's browser did not answer");
    return { kind: 'photo', callId, fileId: frame.message.file?.id ?? '', message: frame.message };
  }

  /** Easemob `inviteShare`: the visitor's page asks for consent; `screenShare` events tell the outcome. */
  inviteShare(sessionId?: string): Promise<void> {
    return this.screen.invite(this.callId(sessionId));
  }

  /** The agent's own screen, in the tab holding the connection (the browser's picker first). */
  shareScreen(sessionId?: string): Promise<MediaStream> {
    return this.screen.start(this.callId(sessionId));
  }

  stopScreenShare(sessionId?: string): Promise<void> {
    return this.screen.stop(this.callId(sessionId));
  }

  /** Easemob `isShareState`: the screens shared in the call now (asked of the server). */
  shareState(sessionId?: string): Promise<ScreenShareState> {
    return this.screen.state(this.callId(sessionId));
  }

  /** Drops an ended call from the list (TCCC `deleteCall`). */
  forget(sessionId: string): void {
    this.controller.forget(sessionId);
    this.#originTab.delete(sessionId);
  }

  /** The live calls of a hello (rejoined: this page may have reloaded mid-call). */
  onHello(calls: readonly Call[]): void {
    this.controller.onHello(calls);
    void this.screen.onReconnect(calls.map((call) => call.id));
  }

  async onFrame(frame: CallFrame): Promise<void> {
    if (frame.type === 'call.notice') return this.#onNotice(frame);
    if (frame.type === 'call.photo') {
      this.deps.emit('callPhoto', { sessionId: frame.callId, requestId: frame.requestId, message: frame.message, error: frame.error });
      const waiter = this.#photos.get(frame.requestId);
      if (waiter) return waiter(frame);
      this.#earlyPhotos.set(frame.requestId, frame);
      for (const id of [...this.#earlyPhotos.keys()].slice(0, Math.max(0, this.#earlyPhotos.size - EARLY_PHOTOS_KEPT))) this.#earlyPhotos.delete(id);
      return;
    }
    if (frame.type === 'call.share' || frame.type === 'call.share.ice' || frame.type === 'call.share.ice-failed') return this.screen.onFrame(frame);
    this.controller.onFrame(frame);
    if (frame.type === 'call') this.screen.onFrame(frame);
  }

  stop(): void {
    this.screen.close();
    this.controller.close();
  }

  async #onNotice(notice: CallNoticeEvent): Promise<void> {
    const { emit } = this.deps;
    const sessionId = notice.callId;
    const call = this.controller.get(sessionId);
    emit('callNotice', { sessionId, conversationId: call?.conversationId ?? null, code: notice.code, previous: notice.previous, tccc: notice.tccc, about: notice.about });
    const tccc = notice.tccc;
    if (!tccc) return;
    // NOTE: `internal` names the ring only (TCCC callIn); the other events say the call's media, as for any call.
    const type = tccc.type !== undefined && tccc.type !== 'internal' ? tccc.type : call ? tcccType(call.kind) : 'video';
    const tabUUID = this.#originTab.get(sessionId);
    switch (tccc.event) {
      case 'callIn': {
        if (tccc.type === 'internal') {
          // Another agent calls: named by its profile (as a visitor is by its own).
          const timeoutMs = tccc.timeoutMs ?? 0;
          const peerUserId = tccc.peerUserId ?? notice.about?.id ?? '';
          const peer = peerUserId ? await this.deps.rest.get<{ name: string }>(`/v1/agents/${encodeURIComponent(peerUserId)}`).catch(() => null) : null;
          const expiresAt = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
          return emit('callIn', { sessionId, type: 'internal', timeout: Math.ceil(timeoutMs / 1000), expiresAt, nickname: peer?.name ?? peerUserId, visitorId: '', peerSource: null, queueId: null, conversationId: null, peerUserId, mediaType: type });
        }
        const visitorId = call?.visitorId ?? (notice.about?.role === 'visitor' ? notice.about.id : '');
        const visitor = visitorId ? await this.deps.rest.get<Visitor>(`/v1/visitors/${encodeURIComponent(visitorId)}`).catch(() => null) : null;
        const timeoutMs = tccc.timeoutMs ?? 0;
        emit('callIn', {
          sessionId,
          type,
          timeout: Math.ceil(timeoutMs / 1000),
          expiresAt: timeoutMs > 0 ? Date.now() + timeoutMs : 0,
          nickname: visitor?.name ?? 'Visitor',
          visitorId,
          userId: visitorId,
          peerSource: null,
          queueId: null,
          conversationId: call?.conversationId ?? null,
        });
        return;
      }
      case 'userAccessed':
        return emit('userAccessed', { sessionId, ...(tabUUID ? { tabUUID } : {}) });
      case 'callOuted':
        return emit('callOuted', { sessionId, type, conversationId: call?.conversationId ?? null, ...(tabUUID ? { tabUUID } : {}) });
      case 'calloutAccepted':
        return emit('calloutAccepted', { sessionId });
      case 'autoTransfer':
        return emit('autoTransfer', { sessionId });
      case 'sessionEnded':
        this.#originTab.delete(sessionId);
        return emit('sessionEnded', { sessionId, closeBy: tccc.closeBy ?? null, type, ...(tccc.endStatus ? { endStatus: tccc.endStatus } : {}) });
    }
  }
}
