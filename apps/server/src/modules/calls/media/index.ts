import type { Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import { createJanusMediaServer } from './janus/janus-media-server.ts';
import { createJanusSupervisor, type JanusSupervisor, type JanusSupervisorOptions } from './janus-supervisor.ts';
import type { MediaServer } from './media-server.ts';
import { createPlacedMediaServer } from './placement.ts';

/**
 * The media plane of calls: the `MediaServer` port (media-server.ts) and its implementations — Janus
 * through janode (one local supervised child process by default, or several external instances with
 * least-loaded placement) and an in-memory fake for tests. Owns no tables; rooms live in the media
 * server and are referenced by the call (`MediaRoomRef`).
 */
export type * from './media-server.ts';
export { MEDIA_STOPPED_AFTER_MS } from './media-server.ts';
export { MediaError, isMediaError, type MediaErrorReason } from './media.errors.ts';
export { FakeMediaServer } from './fake-media-server.ts';
export { chooseInstance, createPlacedMediaServer } from './placement.ts';
export { createJanusMediaServer, type JanusMediaServer, type JanusMediaServerOptions } from './janus/janus-media-server.ts';
export { createJanusSupervisor, type JanusSupervisor, type JanusSupervisorOptions, type JanusProcessEvent } from './janus-supervisor.ts';
export type { JanusIceOptions } from './janus-config.ts';

export interface LocalMediaServer extends MediaServer {
  readonly supervisor: JanusSupervisor;
  /** Closes this process's side but leaves Janus running for the next server process to adopt. */
  detach(): Promise<void>;
}

/**
 * The default: a local Janus child process under `<dataDir>/janus/`, supervised, behind the port.
 * Resolves once Janus answers; rejects when it cannot start (not installed, bad config).
 */
export async function startLocalMediaServer(options: JanusSupervisorOptions & { roomSecretKey?: string }): Promise<LocalMediaServer> {
  const supervisor = createJanusSupervisor(options);
  const { url, apiSecret } = await supervisor.start();
  const janus = createJanusMediaServer({
    url,
    apiSecret,
    instanceId: 'local',
    clock: options.clock,
    log: options.log,
    ...(options.roomSecretKey ? { roomSecretKey: options.roomSecretKey } : {}),
  });
  // NOTE: the connection notices the death at once (the socket closes); the restart tells it when to come back.
  supervisor.on((event) => {
    if (event.type === 'up') janus.connectNow(event.url);
  });
  janus.start();
  try {
    await janus.whenUp(10_000);
  } catch (err) {
    await janus.close();
    await supervisor.stop();
    throw err;
  }
  const placed = createPlacedMediaServer([janus]);
  return {
    ...placed,
    supervisor,
    async close() {
      await placed.close();
      await supervisor.stop();
    },
    async detach() {
      await placed.close();
      await supervisor.stop({ keepRunning: true });
    },
  };
}

export interface ExternalMediaOptions {
  /** The Janus WebSocket API of each instance (`FRONTDESK_JANUS_URLS`), reached only by our servers. */
  urls: readonly string[];
  /** The instances' shared `api_secret`, if they have one. */
  apiSecret?: string;
  /** Shared by every node of ours, so that any node can manage any room. */
  roomSecretKey?: string;
  clock: Clock;
  log: Logger;
}

/** Several external Janus instances; each new room goes to the least-loaded live one. Connects in the background. */
export function createExternalMediaServer(options: ExternalMediaOptions): MediaServer {
  const instances = options.urls.map((url) =>
    createJanusMediaServer({
      url,
      clock: options.clock,
      log: options.log,
      ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
      ...(options.roomSecretKey ? { roomSecretKey: options.roomSecretKey } : {}),
    }),
  );
  for (const instance of instances) instance.start();
  return createPlacedMediaServer(instances);
}
