import type { Call, CallPhotoRequestEvent, HelloReply } from '@frontdesk/protocol';
import type { Emitter, Logger } from '@frontdesk/sdk-core';
import type { CallMediaState, DeviceChoice, MediaDeviceLists } from '@frontdesk/sdk-core/calls';
import { isCallSupported } from '@frontdesk/sdk-core/media-support';
import type { VisitorConnection } from './connection.ts';
import type { IncomingFrame } from './frames.ts';
import type { HttpClient } from './http.ts';
import type { VisitorToken } from './visitor-token.ts';
import type { VisitorCallController as CallController } from './visitor-calls.ts';
import { VisitorSdkError, type VisitorClientOptions, type VisitorEvents } from './types.ts';

/**
 * The visitor client's calls. NOTE: the call code (sdk-core's CallController and CallMedia) is a
 * dynamic import, loaded by the first call, an incoming one, or a hello that lists live calls: the
 * chat's bundle stays within its budget and a page that never calls never downloads it.
 */
export class VisitorCallApi {
  private loading: Promise<CallController> | undefined;
  private answerPhoto: typeof import('./visitor-calls.ts')['answerPhotoRequest'] | undefined;
  private controller: CallController | undefined;

  constructor(
    private readonly deps: {
      connection: VisitorConnection;
      emitter: Emitter<VisitorEvents>;
      log: Logger;
      options: VisitorClientOptions;
      visitorId: () => string | null;
      conversationId: () => Promise<string>;
      http: HttpClient;
      visitorToken: VisitorToken;
    },
  ) {}

  /** The live call (the newest one), else the last one ended; null before any (or before the call code loaded). */
  get call(): Call | null {
    return this.controller?.list()[0] ?? null;
  }

  isSupported(): boolean {
    return isCallSupported();
  }

  private load(): Promise<CallController> {
    const { deps } = this;
    return (this.loading ??= import('./visitor-calls.ts').then((m) =>
      ((this.answerPhoto = m.answerPhotoRequest),
      (this.controller = m.createVisitorCalls({
        connection: deps.connection,
        emitter: deps.emitter,
        self: () => (deps.visitorId() ? { role: 'visitor', id: deps.visitorId()! } : null),
        http: deps.http,
        visitorToken: deps.visitorToken,
        constraints: deps.options.mediaConstraints,
        log: deps.log.child('calls'),
      }))),
    ));
  }

  /** The call meant: the one given, else the visitor's current one. */
  private async with<T>(callId: string | undefined, work: (calls: CallController, id: string) => Promise<T>): Promise<T> {
    const id = callId ?? this.call?.id;
    if (!id) throw new VisitorSdkError('FD_SDK_INVALID_INPUT', 'no call');
    return work(await this.load(), id);
  }

  async start(video: boolean): Promise<Call> {
    const conversationId = await this.deps.conversationId();
    return (await this.load()).start({ type: 'call.start', conversationId, kind: video ? 'video' : 'audio' });
  }

  accept = (callId?: string) => this.with(callId, (c, id) => c.accept(id));
  refuse = (callId: string | undefined, busy: boolean) => this.with(callId, (c, id) => c.refuse(id, busy ? 'busy' : 'refused'));
  hangUp = (callId?: string) => this.with(callId, (c, id) => c.hangUp(id));
  setMicMuted = (muted: boolean, callId?: string) => this.with(callId, (c, id) => c.setMicMuted(id, muted));
  setCameraOff = (off: boolean, callId?: string) => this.with(callId, (c, id) => c.setCameraOff(id, off));

  /** Shares a screen in the call (the browser's picker first): the answer to an invitation, or the visitor's own idea. */
  shareScreen = (callId?: string) => this.with(callId, (c, id) => c.screen.start(id));
  stopScreenShare = (callId?: string) => this.with(callId, (c, id) => c.screen.stop(id));
  declineScreenShare = (callId: string | undefined, reason: 'refused' | 'unavailable') => this.with(callId, (c, id) => c.screen.decline(id, reason));
  /** Easemob isShareState: whether a screen is shared in the call now (asked of the server). */
  isShareState = (callId?: string) => this.with(callId, async (c, id) => (await c.screen.state(id)).shares.length > 0);

  /** The media of a call (streams, mute and camera flags); null before its media started. */
  media(callId?: string): CallMediaState | null {
    const id = callId ?? this.call?.id;
    return (id && this.controller?.mediaOf(id)) || null;
  }

  async switchDevices(choice: DeviceChoice): Promise<void> {
    await (await this.load()).switchDevices(choice);
  }

  async listDevices(): Promise<MediaDeviceLists> {
    return (await this.load()).listDevices();
  }

  /** The live calls of a hello: rejoined (their media published and subscribed again). */
  onHello(reply: HelloReply): void {
    if (reply.calls?.length || this.loading) void this.load().then((c) => c.onHello(reply.calls ?? []));
  }

  onFrame(frame: Extract<IncomingFrame, { type: `call${string}` }>): void {
    if (frame.type === 'call.photo-request') {
      void this.onPhotoRequest(frame);
      return;
    }
    void this.load().then((c) => c.onFrame(frame));
  }

  /** The agent asked for a photo (Easemob takePhoto): answered by the calls chunk (visitor-calls.ts). */
  private async onPhotoRequest(frame: CallPhotoRequestEvent): Promise<void> {
    const controller = await this.load();
    await this.answerPhoto!(frame, { controller, http: this.deps.http, visitorToken: this.deps.visitorToken, emitter: this.deps.emitter, log: this.deps.log });
  }

  close(): void {
    void this.loading?.then((c) => c.close());
  }
}
