import { describe, expect, it } from 'vitest';
import { FakeMediaServer } from './fake-media-server.ts';
import type { MediaEvent, MediaInstanceHealth } from './media-server.ts';
import { isMediaError } from './media.errors.ts';
import { chooseInstance, createPlacedMediaServer } from './placement.ts';

const health = (instanceId: string, isUp: boolean, legs: number, rooms: number): MediaInstanceHealth => ({ instanceId, url: `ws://127.0.0.1/${instanceId}`, isUp, legs, rooms });
const offer = { type: 'offer' as const, sdp: 'v=0' };

describe('chooseInstance', () => {
  it('picks the live instance with the fewest legs, then the fewest rooms, then the first listed', () => {
    expect(chooseInstance([health('a', true, 4, 1), health('b', true, 2, 3), health('c', true, 2, 1)])?.instanceId).toBe('c');
    expect(chooseInstance([health('a', true, 0, 0), health('b', true, 0, 0)])?.instanceId).toBe('a');
  });

  it('never picks a dead instance, however idle', () => {
    expect(chooseInstance([health('a', false, 0, 0), health('b', true, 40, 10)])?.instanceId).toBe('b');
    expect(chooseInstance([health('a', false, 0, 0)])).toBeUndefined();
  });
});

describe('createPlacedMediaServer', () => {
  it('spreads new rooms over the instances by load and routes each call to its room\'s instance', async () => {
    const j1 = new FakeMediaServer('j1');
    const j2 = new FakeMediaServer('j2');
    const media = createPlacedMediaServer([j1, j2]);
    const r1 = await media.createRoom({ callId: 'c1' });
    await media.publish({ room: r1, participantId: 'v', offer });
    const r2 = await media.createRoom({ callId: 'c2' });
    expect([r1.instanceId, r2.instanceId]).toEqual(['j1', 'j2']);
    await media.publish({ room: r2, participantId: 'v', offer });
    await media.subscribe({ room: r2, participantId: 'a', publisherParticipantId: 'v' });
    expect(j2.rooms.get(r2.roomId)?.legs.size).toBe(2);
    // j1 has 1 leg, j2 has 2: the next room goes to j1.
    expect((await media.createRoom({ callId: 'c3' })).instanceId).toBe('j1');
    expect(media.health().map((h) => [h.instanceId, h.rooms, h.legs])).toEqual([['j1', 2, 1], ['j2', 1, 2]]);
  });

  it('gives a dead instance no new rooms, fails clearly when all are down, and uses an instance again once it is back', async () => {
    const j1 = new FakeMediaServer('j1');
    const j2 = new FakeMediaServer('j2');
    const media = createPlacedMediaServer([j1, j2]);
    const events: MediaEvent[] = [];
    media.onEvent((e) => events.push(e));
    const lost = await media.createRoom({ callId: 'c1' });
    j1.loseInstance('killed by SIGKILL');
    expect(events.map((e) => e.type)).toEqual(['room.lost', 'instance.down']);
    expect(events[0]).toMatchObject({ room: lost });
    expect((await media.createRoom({ callId: 'c2' })).instanceId).toBe('j2');
    expect((await media.createRoom({ callId: 'c3' })).instanceId).toBe('j2');
    j2.loseInstance('connection lost');
    const refused = await media.createRoom({ callId: 'c4' }).catch((err: unknown) => err);
    expect(isMediaError(refused, 'media-unavailable')).toBe(true);
    expect((refused as Error).message).toBe('no media server is up (j1: killed by SIGKILL; j2: connection lost)');
    j1.restore();
    expect((await media.createRoom({ callId: 'c5' })).instanceId).toBe('j1');
  });

  it('refuses a room of an instance it does not know', async () => {
    const media = createPlacedMediaServer([new FakeMediaServer('j1')]);
    const err = await media.publish({ room: { instanceId: 'gone', roomId: '1' }, participantId: 'v', offer }).catch((e: unknown) => e);
    expect(isMediaError(err, 'room-not-found')).toBe(true);
  });
});

describe('FakeMediaServer', () => {
  it('removing a publisher ends its legs and the subscriptions to it, with leg.down events', async () => {
    const media = new FakeMediaServer();
    const events: MediaEvent[] = [];
    media.onEvent((e) => events.push(e));
    const room = await media.createRoom({ callId: 'c1' });
    const { answer } = await media.publish({ room, participantId: 'v', offer });
    expect(answer.sdp).toMatch(/^v=0\r\n/);
    await media.publish({ room, participantId: 'a', offer });
    await media.subscribe({ room, participantId: 'a', publisherParticipantId: 'v' });
    await media.removeParticipant({ room, participantId: 'v' });
    expect(events.map((e) => (e.type === 'leg.down' ? `${e.participantId}:${e.legKind}:${e.reason}` : e.type))).toEqual([
      'v:publisher:participant removed',
      'a:subscriber:publisher left',
    ]);
    expect(media.health()[0]).toMatchObject({ rooms: 1, legs: 1 });
  });
});
