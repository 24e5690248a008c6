import type { Call, PartyRef } from '@frontdesk/protocol';
import type { Emitter, Logger } from '@frontdesk/sdk-core';
import { CallController, type CallControllerEvents, type CallRequestFrame, type MediaConstraintsOption } from '@frontdesk/sdk-core/calls';

/** The photo taken from the visitor's camera on the agent's request (in this chunk: only calls need it). */
export { takePhoto } from '@frontdesk/sdk-core/calls';
import type { VisitorConnection } from './connection.ts';
import type { HttpClient } from './http.ts';
import type { VisitorToken } from './visitor-token.ts';
import type { VisitorEvents } from './types.ts';

/** The controller's events, raised as the visitor client's own under the same names. */
const FORWARDED = ['call', 'callState', 'callEnded', 'remoteStream', 'localStream', 'callError'] as const satisfies readonly (keyof CallControllerEvents & keyof VisitorEvents)[];

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
}): CallController {
  const { connection, emitter } = deps;
  const controller = new CallController({
    self: deps.self,
    readCall: (callId) => deps.visitorToken.authed((token) => deps.http.request<Call>({ method: 'GET', path: `/v1/calls/${encodeURIComponent(callId)}`, token })),
    signalling: {
      request: <T>(frame: CallRequestFrame) => connection.request(frame) as Promise<T>,
      notify: (frame) => void connection.notify(frame),
    },
    constraints: deps.constraints,
    log: deps.log,
  });
  for (const name of FORWARDED) controller.on(name, (payload) => emitter.emit(name, payload as never));
  return controller;
}
