import { randomBytes } from 'node:crypto';
import { Emitter, ExponentialBackoffPolicy, type ReconnectPolicy } from '@frontdesk/sdk-core';
import type { Clock } from '../../../../platform/clock.ts';
import type { Logger } from '../../../../platform/logger.ts';
import type { LegRef, MediaEvent, MediaInstanceHealth, MediaRoomRef, MediaServer } from '../media-server.ts';
import { MediaError } from '../media.errors.ts';
import { openJanusTransport, type JanusTransport } from './transport.ts';
import { VideoRoomClient, type LegSignal } from './videoroom.ts';

export interface JanusMediaServerOptions {
  /** The Janus WebSocket API (loopback or a private network; browsers never reach it). */
  url: string;
  /** Janus `api_secret` of that instance. */
  apiSecret?: string;
  /** Names the instance in room references and health. Default: the URL. */
  instanceId?: string;
  /** Derives each room's secret (HMAC): the same key after a restart manages the same rooms. Default: random. */
  roomSecretKey?: string;
  /** When to try again after the connection failed or was lost. Default 250 ms doubling to 5 s. */
  reconnectPolicy?: ReconnectPolicy;
  requestTimeoutMs?: number;
  clock: Clock;
  log: Logger;
}

/** One Janus instance behind the `MediaServer` port; it keeps reconnecting while it is down. */
export interface JanusMediaServer extends MediaServer {
  readonly instanceId: string;
  /** Starts connecting (and reconnecting) in the background. */
  start(): void;
  /** Tries to connect now instead of waiting for the next retry (the supervisor restarted Janus, maybe on another port). */
  connectNow(url?: string): void;
  /** Resolves once connected; rejects after `timeoutMs`. */
  whenUp(timeoutMs: number): Promise<void>;
}

type State =
  | { name: 'idle' }
  | { name: 'connecting' }
  | { name: 'up'; transport: JanusTransport; videoroom: VideoRoomClient }
  | { name: 'down'; reason: string; cancelRetry: () => void }
  | { name: 'closed' };

export function createJanusMediaServer(options: JanusMediaServerOptions): JanusMediaServer {
  const { clock, log } = options;
  let url = options.url;
  const instanceId = options.instanceId ?? url;
  const roomSecretKey = options.roomSecretKey ?? randomBytes(32).toString('base64url');
  const policy = options.reconnectPolicy ?? new ExponentialBackoffPolicy({ initialDelayMs: 250, maxDelayMs: 5000, jitterRatio: 0.2 });
  const events = new Emitter<{ event: MediaEvent }>((_, err) => log.error({ err }, 'media event listener failed'));
  let state: State = { name: 'idle' };
  let lastDownReason = 'not connected yet';
  let retryCount = 0;
  let downSinceMs = clock.now();
  const upWaiters = new Set<() => void>();

  const emit = (event: MediaEvent) => events.emit('event', event);
  const toEvent = (signal: LegSignal): MediaEvent => {
    const { roomId, ...rest } = signal;
    return { ...rest, room: { instanceId, roomId } } as MediaEvent;
  };

  async function connect(): Promise<void> {
    if (state.name !== 'idle' && state.name !== 'down') return;
    if (state.name === 'down') state.cancelRetry();
    state = { name: 'connecting' };
    try {
      const transport = await openJanusTransport({ url, ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}), ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}) });
      if ((state as State).name === 'closed') {
        await transport.close();
        return;
      }
      const videoroom = new VideoRoomClient(transport, clock, roomSecretKey, (signal) => emit(toEvent(signal)));
      state = { name: 'up', transport, videoroom };
      retryCount = 0;
      transport.onLost((reason) => lose(reason));
      log.info({ instanceId }, 'media server up');
      emit({ type: 'instance.up', instanceId });
      for (const resolve of upWaiters) resolve();
      upWaiters.clear();
    } catch (err) {
      if ((state as State).name === 'closed') return;
      scheduleRetry(`cannot connect: ${(err as Error).message}`);
    }
  }

  function lose(reason: string): void {
    if (state.name !== 'up') return;
    const { videoroom, transport } = state;
    const rooms = videoroom.roomIds();
    videoroom.forgetAll();
    void transport.close();
    downSinceMs = clock.now();
    scheduleRetry(reason);
    log.warn({ instanceId, reason, rooms: rooms.length }, 'media server lost');
    for (const roomId of rooms) emit({ type: 'room.lost', room: { instanceId, roomId }, reason: `media server lost: ${reason}` });
    emit({ type: 'instance.down', instanceId, reason });
  }

  function scheduleRetry(reason: string): void {
    lastDownReason = reason;
    const delayMs = policy.nextRetryDelayMs({ retryCount: retryCount++, elapsedMs: clock.now() - downSinceMs, reason }) ?? 5000;
    const cancelRetry = clock.at(clock.now() + delayMs, () => void connect());
    state = { name: 'down', reason, cancelRetry };
  }

  function up(): Extract<State, { name: 'up' }> {
    if (state.name === 'up') return state;
    const why = state.name === 'down' ? state.reason : state.name;
    throw new MediaError('media-unavailable', `media server ${instanceId} is down (${why})`);
  }

  function roomIdOn(room: MediaRoomRef): string {
    if (room.instanceId !== instanceId) throw new MediaError('room-not-found', `room ${room.roomId} is on ${room.instanceId}, not ${instanceId}`);
    return room.roomId;
  }

  /** The VideoRoom client, once the leg is checked to belong to the room. */
  function legIn(leg: LegRef): VideoRoomClient {
    const { videoroom } = up();
    videoroom.assertLegIn(roomIdOn(leg.room), leg.legId);
    return videoroom;
  }

  return {
    instanceId,
    start: () => void connect(),
    connectNow(newUrl) {
      if (newUrl) url = newUrl;
      void connect();
    },
    whenUp(timeoutMs) {
      if (state.name === 'up') return Promise.resolve();
      return new Promise((resolve, reject) => {
        const cancel = clock.at(clock.now() + timeoutMs, () => {
          upWaiters.delete(done);
          reject(new MediaError('media-unavailable', `media server ${instanceId} not up after ${timeoutMs} ms (${lastDownReason})`));
        });
        const done = () => {
          cancel();
          resolve();
        };
        upWaiters.add(done);
      });
    },
    async createRoom(request) {
      const roomId = await up().videoroom.createRoom(request);
      return { instanceId, roomId };
    },
    async destroyRoom(room) {
      if (state.name !== 'up') return; // NOTE: its rooms went with it
      await state.videoroom.destroyRoom(roomIdOn(room));
    },
    publish: async (r) => up().videoroom.publish(roomIdOn(r.room), r.participantId, r.display, r.offer),
    renegotiatePublisher: async (r) => ({ answer: await legIn(r).renegotiatePublisher(r.legId, r.offer) }),
    subscribe: async (r) => up().videoroom.subscribe(roomIdOn(r.room), r.participantId, r.publisherParticipantId),
    acceptAnswer: async (r) => legIn(r).acceptAnswer(r.legId, r.answer),
    restartSubscriberIce: async (r) => ({ offer: await legIn(r).restartSubscriberIce(r.legId) }),
    addIceCandidate: async (r) => legIn(r).addIceCandidate(r.legId, r.candidate),
    setRelay: async (r) => up().videoroom.setRelay(roomIdOn(r.room), r.participantId, { ...(r.audio !== undefined ? { audio: r.audio } : {}), ...(r.video !== undefined ? { video: r.video } : {}) }),
    async removeLeg(r) {
      if (state.name !== 'up') return;
      await state.videoroom.removeLeg(roomIdOn(r.room), r.legId);
    },
    async removeParticipant(r) {
      if (state.name !== 'up') return;
      await state.videoroom.removeParticipant(roomIdOn(r.room), r.participantId);
    },
    health(): MediaInstanceHealth[] {
      const isUp = state.name === 'up';
      return [{
        instanceId,
        url,
        isUp,
        ...(isUp ? {} : { downReason: state.name === 'down' ? state.reason : state.name }),
        rooms: state.name === 'up' ? state.videoroom.roomCount : 0,
        legs: state.name === 'up' ? state.videoroom.legCount : 0,
      }];
    },
    onEvent: (listener) => events.on('event', listener),
    async close() {
      const previous = state;
      state = { name: 'closed' };
      if (previous.name === 'down') previous.cancelRetry();
      if (previous.name === 'up') {
        previous.videoroom.forgetAll();
        await previous.transport.close();
      }
      events.clear();
    },
  };
}
