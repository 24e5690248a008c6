/**
 * Calls (SPEC M18, M22–M24) own calls and their legs (`calls.schema.ts`). `CallEngine`
 * (engine/) decides every transition of a call (one end per call, the Easemob codes and TCCC events
 * of each transition); the shell loads, decides and saves one call at a time under its row lock and
 * announces `call.decided`; routing holds agents' call capacity and rings them; the media plane
 * (media/, Janus behind the `MediaServer` port) carries the media, signalled through our WebSocket.
 */
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Bus } from '../../platform/bus.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { ChannelsService } from '../channels/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { RoutingService } from '../routing/index.ts';
import { createCallEffects, type CallRecorder } from './call-effects.ts';
import { createCallShell } from './call-shell.ts';
import { createCallStore } from './call-store.ts';
import { createCallSupervision } from './call-supervision.ts';
import { createCallSupervisionStore } from './call-supervision-store.ts';
import { registerCallListeners } from './calls.listeners.ts';
import { createCallsService, type CallsServiceDeps } from './calls.service.ts';
import type { TurnSettings } from './ice-servers.ts';
import type { MediaServer } from './media/index.ts';
import { createMediaRelay } from './media-relay.ts';
import { registerScreenShareListeners } from './screen-share.listeners.ts';
import { createScreenShareRelay } from './screen-share-relay.ts';
import { createScreenShareService } from './screen-share.service.ts';
import { createScreenShareStore } from './screen-share-store.ts';

export { CallEngine } from './engine/call-engine.ts';
export { CallRejection } from './engine/types.ts';
export type { CallAction, CallEngineOptions, CallErrorCode, CallEvent, CallState, CallSummary, EndReason, HungUpSide, Participant, PartyRef } from './engine/types.ts';
export { EASEMOB, type EasemobCode } from './engine/easemob-codes.ts';
export { easemobStateOf, type AgentCallActivity, type AgentStatusForCode, type EasemobStateCode } from '@frontdesk/protocol';
export { isAllowedEasemobTransition } from './engine/easemob-transitions.ts';
export type { CallEvents, RoomRef } from './calls.events.ts';
export { callView, partiesOf } from './call-view.ts';
export { callFrames } from './calls.frames.ts';
export { screenShareFrames } from './screen-share.frames.ts';
export type { ScreenShareService } from './screen-share.service.ts';
export { registerCallRoutes } from './calls.routes.ts';
export { openMediaPlane, type MediaSettings } from './media-plane.ts';
export type { TurnSettings } from './ice-servers.ts';
export type { CallRecorder } from './call-effects.ts';
export { FakeMediaServer, type MediaServer } from './media/index.ts';
export type { CallsService } from './calls.service.ts';
export type { CallSupervision } from './call-supervision.ts';

/** The calls module, wired: its store, shell, this node's media relay and effects, its listeners, and the service. */
export function createCalls(deps: {
  storage: Storage;
  clock: Clock;
  log: Logger;
  events: Events;
  /** Carries `call.forwarding-changed` to every node's relay (each ends the legs it holds). */
  bus: Pick<Bus, 'publish' | 'subscribe'>;
  media: MediaServer;
  routing: RoutingService;
  conversations: ConversationsService;
  channels: ChannelsService;
  /** The app's visitors and agents (a third visitor invited into a call must be one; the parties see the agents' names). */
  directory: CallsServiceDeps['directory'];
  turn?: TurnSettings | undefined;
  /** Decides whether each call is recorded (the recordings module). */
  recorder?: CallRecorder | undefined;
}) {
  const { storage, clock, events, bus, media, routing } = deps;
  const log = deps.log.child({ module: 'calls' });
  const store = createCallStore(storage);
  const shell = createCallShell({ clock, log, events, store });
  const supervisionSteps = createCallSupervisionStore(storage);
  const relay = createMediaRelay({ media, store, supervision: supervisionSteps, shell, events, log });
  const effects = createCallEffects({ media, recorder: deps.recorder, store, shell, relay, routing, events, log });
  const supervision = createCallSupervision({ clock, log, events, store, steps: supervisionSteps, shell, relay, routing, conversations: deps.conversations, turn: deps.turn });
  const service = createCallsService({
    clock,
    store,
    shell,
    relay,
    routing,
    log,
    conversations: deps.conversations,
    channels: deps.channels,
    directory: deps.directory,
    media,
    turn: deps.turn,
    isVoiceSupervisor: (principal, stored) => supervision.voiceSupervisorOf(principal, stored),
  });
  // Screen share: a second publisher leg per sharer in the call's room, with its own state and frames.
  const shares = createScreenShareStore(storage);
  const shareRelay = createScreenShareRelay({ media, calls: store, shares, events, clock, log });
  const screenShare = createScreenShareService({ calls: store, shares, relay: shareRelay });
  // NOTE: legs live on the node of their socket: a change of forwarding made on any node reaches
  // every node's relay here (this node's too, which finds nothing left to end).
  const stopRechecks = bus.subscribe((event) => {
    if (event.type !== 'call.forwarding-changed') return;
    void relay.recheck(event.appId, event.callId).catch((err: unknown) => log.warn({ err, callId: event.callId }, 'could not re-check the legs of a call'));
  });
  return {
    service,
    screenShare,
    /** Supervision of live calls (monitor, whisper, barge, intercept). */
    supervision,
    /** The calls module's listeners (app.ts lists them with the others). */
    registerListeners: () => {
      registerCallListeners(events, { shell, store, effects, routing, bus, log });
      registerScreenShareListeners(events, { shares, relay: shareRelay, media, log });
    },
    start: () => shell.start(),
    async close(): Promise<void> {
      stopRechecks();
      relay.close();
      shareRelay.close();
      await shell.close();
      await media.close();
    },
  };
}
