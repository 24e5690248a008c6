import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../platform/clock.ts';
import { randomToken } from '../../platform/crypto/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { createExternalMediaServer, MediaError, startLocalMediaServer, type JanusIceOptions, type MediaEvent, type MediaServer } from './media/index.ts';

/** Where calls get their media server (config `FRONTDESK_MEDIA`, `FRONTDESK_JANUS_URLS`…). */
export type MediaSettings =
  | { kind: 'off' }
  | ({ kind: 'local' } & JanusIceOptions)
  | { kind: 'external'; urls: readonly string[]; apiSecret?: string | undefined; roomKey?: string | undefined };

/** A media server that refuses everything: calls are off, or Janus could not start. Chat is unaffected. */
export function unavailableMediaServer(reason: string): MediaServer {
  const refuse = async (): Promise<never> => {
    throw new MediaError('media-unavailable', reason);
  };
  return {
    createRoom: refuse,
    destroyRoom: async () => {},
    publish: refuse,
    renegotiatePublisher: refuse,
    subscribe: refuse,
    acceptAnswer: refuse,
    restartSubscriberIce: refuse,
    addIceCandidate: refuse,
    setRelay: refuse,
    removeLeg: async () => {},
    removeParticipant: async () => {},
    health: () => [],
    onEvent: (_listener: (event: MediaEvent) => void) => () => {},
    close: async () => {},
  };
}

/**
 * Rooms are managed with secrets derived from one key; the same key after a restart (or on every
 * node, with external instances) manages the same rooms. Kept owner-only in the data dir.
 */
function roomKeyOf(dataDir: string): string {
  const file = path.join(dataDir, 'media-room.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const key = randomToken(32);
    fs.writeFileSync(file, key, { mode: 0o600 });
    return key;
  }
}

/**
 * Opens the media plane: the local supervised Janus (default), external instances, or none. A local
 * Janus that cannot start (not installed) leaves calls unavailable with one clear log line and the
 * command that installs it; the server starts anyway.
 */
export async function openMediaPlane(
  settings: MediaSettings,
  deps: {
    dataDir: string;
    clock: Clock;
    log: Logger;
    /** At shutdown: whether calls are in progress, so the local Janus stays up for the next process to adopt. */
    hasLiveCalls: () => Promise<boolean>;
  },
): Promise<MediaServer> {
  const { dataDir, clock, log } = deps;
  if (settings.kind === 'off') return unavailableMediaServer('calls are turned off on this server (FRONTDESK_MEDIA=off)');
  if (settings.kind === 'external') {
    return createExternalMediaServer({ urls: settings.urls, ...(settings.apiSecret ? { apiSecret: settings.apiSecret } : {}), roomSecretKey: settings.roomKey ?? roomKeyOf(dataDir), clock, log });
  }
  const { kind: _kind, ...ice } = settings;
  try {
    const local = await startLocalMediaServer({ ...ice, dataDir, clock, log, roomSecretKey: roomKeyOf(dataDir) });
    return {
      ...local,
      async close() {
        // A restart keeps the media of calls in progress: the next process adopts this Janus.
        const keep = await deps.hasLiveCalls().catch(() => false);
        if (keep) log.info('calls in progress: the local Janus keeps running for the next start to adopt');
        await (keep ? local.detach() : local.close());
      },
    };
  } catch (err) {
    log.error(
      { err: { message: (err as Error).message } },
      'calls are unavailable: the local media server (Janus) did not start. Install it with `sudo bash scripts/media.sh` (Debian: apt-get install janus janus-tools ffmpeg) and restart; chat works meanwhile',
    );
    return unavailableMediaServer('the media server is not running on this server');
  }
}
