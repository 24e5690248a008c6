import type { MediaEvent, MediaInstanceHealth, MediaRoomRef, MediaServer } from './media-server.ts';
import { MediaError } from './media.errors.ts';

/** One instance as placement sees it: a `MediaServer` for a single instance (e.g. `createJanusMediaServer`). */
export interface PlaceableInstance extends MediaServer {
  readonly instanceId: string;
}

/**
 * Which live instance gets a new room: the least loaded (fewest legs, then fewest rooms, then the
 * earliest in the list). Pure: health in, choice out. Down instances get no new rooms; they are
 * retried by their own reconnect loop and come back into the choice once up.
 */
export function chooseInstance(health: readonly MediaInstanceHealth[]): MediaInstanceHealth | undefined {
  let best: MediaInstanceHealth | undefined;
  for (const h of health) {
    if (!h.isUp) continue;
    if (!best || h.legs < best.legs || (h.legs === best.legs && h.rooms < best.rooms)) best = h;
  }
  return best;
}

/**
 * Several instances behind one `MediaServer` (`FRONTDESK_JANUS_URLS`; one entry for the local Janus).
 * A room stays on the instance that created it (its ref names the instance); LiveKit's model: load
 * reported, one room on one node.
 */
export function createPlacedMediaServer(instances: readonly PlaceableInstance[]): MediaServer {
  if (instances.length === 0) throw new Error('placement needs at least one media server instance');
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  if (byId.size !== instances.length) throw new Error('media server instance ids must be unique');

  function instanceOf(room: MediaRoomRef): PlaceableInstance {
    const instance = byId.get(room.instanceId);
    if (!instance) throw new MediaError('room-not-found', `no media server instance ${room.instanceId}`);
    return instance;
  }

  function health(): MediaInstanceHealth[] {
    return instances.flatMap((i) => i.health());
  }

  return {
    async createRoom(request) {
      const all = health();
      const chosen = chooseInstance(all);
      if (!chosen) {
        const why = all.map((h) => `${h.instanceId}: ${h.downReason ?? 'down'}`).join('; ');
        throw new MediaError('media-unavailable', `no media server is up (${why})`);
      }
      return byId.get(chosen.instanceId)!.createRoom(request);
    },
    destroyRoom: async (room) => instanceOf(room).destroyRoom(room),
    publish: async (r) => instanceOf(r.room).publish(r),
    renegotiatePublisher: async (r) => instanceOf(r.room).renegotiatePublisher(r),
    subscribe: async (r) => instanceOf(r.room).subscribe(r),
    acceptAnswer: async (r) => instanceOf(r.room).acceptAnswer(r),
    restartSubscriberIce: async (r) => instanceOf(r.room).restartSubscriberIce(r),
    addIceCandidate: async (r) => instanceOf(r.room).addIceCandidate(r),
    setRelay: async (r) => instanceOf(r.room).setRelay(r),
    removeLeg: async (r) => instanceOf(r.room).removeLeg(r),
    removeParticipant: async (r) => instanceOf(r.room).removeParticipant(r),
    health,
    onEvent(listener: (event: MediaEvent) => void) {
      const offs = instances.map((i) => i.onEvent(listener));
      return () => offs.forEach((off) => off());
    },
    async close() {
      await Promise.all(instances.map((i) => i.close()));
    },
  };
}
