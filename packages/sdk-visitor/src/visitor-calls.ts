import type { Call, CallPhotoRequestEvent, CaptureStored, PartyRef, ServerFrame } from '@frontdesk/protocol';
import type { Emitter, Logger } from '@frontdesk/sdk-core';
import { CallController, ScreenShareController, takePhoto, type CallControllerEvents, type CallControllerOptions, type CallRequestFrame, type CallSignalling, type MediaConstraintsOption } from '@frontdesk/sdk-core/calls';
import type { VisitorConnection } from './connection.ts';
import type { HttpClient } from './http.ts';
import type { VisitorToken } from './visitor-token.ts';
import type { VisitorEvents } from './types.ts';

/** The controller's events, raised as the visitor client's own under the same names. */
const FORWARDED = ['call', 'callState', 'callEnded', 'remoteStream', 'localStream', 'callError'] as const satisfies readonly (keyof CallControllerEvents & keyof VisitorEvents)[];

/**
 * The visitor's calls with their screen shares: the frames and hellos of calls reach both.
 * NOTE: one object from the lazily loaded chunk, so that the chat's bundle carries no screen share code.
 */
export class VisitorCallController extends CallController {
  readonly screen: ScreenShareController;

  constructor(options: CallControllerOptions, screen: (calls: CallController) => ScreenShareController) {
    super(options);
    this.screen = screen(this);
  }

  override onFrame(frame: ServerFrame): void {
    super.onFrame(frame);
    this.screen.onFrame(frame);
  }

  override onHello(live: readonly Call[]): void {
    super.onHello(live);
    void this.screen.onReconnect(live.map((call) => call.id));
  }
}

/**
 * The visitor's calls, loaded with the first call (a dynamic import: the chat alone never downloads
 * WebRTC code): sdk-core's `CallController` over the visitor's socket, its events raised as the
 * client's.
 */
export function createVisitorCalls(deps: {
  connection: VisitorConnection;
  emitter: Emitter<VisitorEvents>;
  self: () => PartyRef | null;
  http: HttpClient;
  visitorToken: VisitorToken;
  constraints: MediaConstraintsOption | undefined;
  log: Logger;
}): VisitorCallController {
  const { connection, emitter } = deps;
  const signalling: CallSignalling = {
    request: <T>(frame: CallRequestFrame) => connection.request(frame) as Promise<T>,
    notify: (frame) => void connection.notify(frame),
  };
  const controller = new VisitorCallController(
    {
      self: deps.self,
      readCall: (callId) => deps.visitorToken.authed((token) => deps.http.request<Call>({ method: 'GET', path: `/v1/calls/${encodeURIComponent(callId)}`, token })),
      signalling,
      constraints: deps.constraints,
      log: deps.log,
    },
    (calls) => createVisitorScreenShare({ signalling, emitter, calls, self: deps.self, log: deps.log.child('screen') }),
  );
  for (const name of FORWARDED) controller.on(name, (payload) => emitter.emit(name, payload as never));
  return controller;
}

/** The visitor's screen shares, over its socket, their events raised as the client's (`screenShare`, `remoteScreen`, `localScreen`). */
function createVisitorScreenShare(deps: { signalling: CallSignalling; emitter: Emitter<VisitorEvents>; calls: CallController; self: () => PartyRef | null; log: Logger }): ScreenShareController {
  const { emitter } = deps;
  const screen = new ScreenShareController({
    self: deps.self,
    signalling: deps.signalling,
    iceServersOf: (callId) => deps.calls.iceServersOf(callId),
    log: deps.log,
  });
  screen.on('share', (event) => emitter.emit('screenShare', event));
  screen.on('remoteScreen', (payload) => emitter.emit('remoteScreen', payload));
  screen.on('localScreen', (payload) => emitter.emit('localScreen', payload));
  return screen;
}

/**
 * The agent asked for a photo (Easemob takePhoto): taken from this page's camera track at the
 * camera's own size and uploaded as the visitor's image, then `photoTaken` tells the page (the widget
 * shows a notice). When it cannot be taken (no camera track, the camera off, an error) the server is
 * told, so the agent gets `snapShotDisabled` rather than nothing, and `photoFailed` tells the page.
 */
export async function answerPhotoRequest(
  frame: CallPhotoRequestEvent,
  deps: { controller: CallController; http: HttpClient; visitorToken: VisitorToken; emitter: Emitter<VisitorEvents>; log: Logger },
): Promise<void> {
  const { callId, requestId, expires, signature } = frame;
  const path = `/v1/calls/${encodeURIComponent(callId)}/photos/${encodeURIComponent(requestId)}`;
  let reason: string;
  try {
    const photo = await takePhoto(deps.controller.mediaOf(callId)?.localStream?.getVideoTracks()[0]);
    const stored = await deps.visitorToken.authed((token) => deps.http.upload<CaptureStored>(`${path}?expires=${expires}&signature=${encodeURIComponent(signature)}`, token, photo.blob));
    deps.emitter.emit('photoTaken', { callId, requestId, message: stored.message, width: photo.width, height: photo.height });
    return;
  } catch (err) {
    reason = err instanceof Error ? err.message : String(err);
    deps.log.warn('photo not taken', { reason });
  }
  deps.emitter.emit('photoFailed', { callId, requestId, reason });
  await deps.visitorToken
    .authed((token) => deps.http.request({ method: 'POST', path: `${path}/failure`, token, body: { expires, signature, reason: reason.slice(0, 200) } }))
    .catch((err: unknown) => deps.log.warn('photo failure not sent', { err: String(err) }));
}
