import type { Events } from '../../events.ts';
import type { Logger } from '../../platform/logger.ts';
import { liveLegOf } from './engine/engine-state.ts';
import type { MediaServer } from './media/index.ts';
import { screenParticipantId } from './screen-share-relay.ts';
import type { ScreenShareRelay } from './screen-share-relay.ts';
import type { ScreenShareStore } from './screen-share-store.ts';

/**
 * Shares follow their call: a call that ends closes them all; a sharer who leaves the call stops
 * sharing; a call on hold relays no screen (as no camera), until it is taken back.
 */
export function registerScreenShareListeners(events: Events, deps: { shares: ScreenShareStore; relay: ScreenShareRelay; media: Pick<MediaServer, 'setRelay'>; log: Logger }): void {
  const { shares, relay, media, log } = deps;
  events.onAfterCommit('call.decided', 'calls: screen shares follow the call', async ({ appId, call, actions, room }) => {
    try {
      if (call.phase === 'ended') {
        await relay.callEnded(appId, call.id);
        return;
      }
      const forwarding = actions.find((a) => a.type === 'media.set_forwarding');
      if (forwarding && room) {
        for (const share of await shares.open(appId, call.id)) {
          await media.setRelay({ room, participantId: screenParticipantId(share.sharer), video: forwarding.enabled }).catch((err: unknown) => log.warn({ err, callId: call.id }, 'could not hold a screen share'));
        }
      }
      const left = call.participants.filter((p) => p.leg === 'left');
      if (left.length === 0) return;
      for (const share of await shares.open(appId, call.id)) {
        const gone = left.some((p) => p.role === share.sharer.role && p.userId === share.sharer.id) && !liveLegOf(call, share.sharer);
        if (gone) await relay.stop(appId, call.id, room, share.sharer, 'left');
      }
    } catch (err) {
      log.warn({ err, callId: call.id }, 'screen shares could not follow the call');
    }
  });
}
