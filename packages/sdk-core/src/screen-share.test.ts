import type { CallShareEvent, PartyRef } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import type { CallRequestFrame, CallSignalling } from './call-signalling.ts';
import { ScreenShareController } from './screen-share.ts';

/**
 * ScreenShareController's signalling over fakes of the browser's WebRTC objects: what it asks the
 * server, and when. (The media is proven in e2e/media/screen-share.test.ts with real browsers and Janus.)
 */

class FakeTrack extends EventTarget {
  readonly kind = 'video';
  contentHint = '';
  isStopped = false;
  stop() {
    this.isStopped = true;
  }
  /** The browser's own "Stop sharing". */
  end() {
    this.dispatchEvent(new Event('ended'));
  }
}

class FakeStream {
  constructor(readonly track = new FakeTrack()) {}
  getTracks = () => [this.track];
  getVideoTracks = () => [this.track];
}

class FakePeerConnection {
  static all: FakePeerConnection[] = [];
  readonly added: FakeTrack[] = [];
  readonly remoteCandidates: unknown[] = [];
  remoteDescription: RTCSessionDescriptionInit | null = null;
  isClosed = false;
  onicecandidate: ((e: unknown) => void) | null = null;
  ontrack: ((e: { track: FakeTrack; streams: FakeStream[] }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  constructor() {
    FakePeerConnection.all.push(this);
  }
  addTransceiver(track: FakeTrack) {
    this.added.push(track);
  }
  createOffer = async () => ({ type: 'offer' as const, sdp: 'offer' });
  createAnswer = async () => ({ type: 'answer' as const, sdp: 'answer' });
  setLocalDescription = async () => {};
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.remoteDescription = d;
    if (d.type === 'offer') this.ontrack?.({ track: new FakeTrack(), streams: [new FakeStream()] });
  }
  addIceCandidate = async (c: unknown) => void this.remoteCandidates.push(c);
  close() {
    this.isClosed = true;
  }
}

const VISITOR: PartyRef = { role: 'visitor', id: 'v1' };
const AGENT: PartyRef = { role: 'agent', id: 'a1' };

function setup(options: { picker?: () => Promise<FakeStream> } = {}) {
  FakePeerConnection.all = [];
  const sent: CallRequestFrame[] = [];
  const order: string[] = [];
  const signalling: CallSignalling = {
    async request<T>(frame: CallRequestFrame): Promise<T> {
      sent.push(frame);
      order.push(frame.type);
      if (frame.type === 'call.share.publish') return { legId: 'screen-leg', answer: { type: 'answer', sdp: 'a' } } as T;
      if (frame.type === 'call.share.subscribe') return { legId: 'view-leg', offer: { type: 'offer', sdp: 'o' } } as T;
      if (frame.type === 'call.share.state') return { callId: frame.callId, shares: [] } as T;
      return {} as T;
    },
    notify: () => {},
  };
  const screen = new ScreenShareController({
    self: () => VISITOR,
    signalling,
    iceServersOf: () => [],
    env: { mediaDevices: { getDisplayMedia: options.picker ?? (async () => new FakeStream()) } as never, RTCPeerConnection: FakePeerConnection as never },
  });
  const events: { name: string; payload: unknown }[] = [];
  for (const name of ['share', 'remoteScreen', 'localScreen', 'error'] as const) screen.on(name, (payload) => events.push({ name, payload }));
  const share = (event: CallShareEvent['event'], by: PartyRef, shares: CallShareEvent['shares'] = []): CallShareEvent => ({ type: 'call.share', callId: 'c1', event, by, reason: null, shares, at: 1 });
  return { screen, sent, order, events, share };
}

describe('ScreenShareController', () => {
  it('shares a screen on a leg of its own: the picker, a video-only offer in call.share.publish, the answer applied', async () => {
    const t = setup();
    const stream = (await t.screen.start('c1')) as unknown as FakeStream;
    const [pc] = FakePeerConnection.all;
    expect(pc!.added).toEqual([stream.track]);
    expect(stream.track.contentHint).toBe('detail');
    expect(t.sent).toEqual([{ type: 'call.share.publish', callId: 'c1', offer: { type: 'offer', sdp: 'offer' } }]);
    expect(pc!.remoteDescription).toEqual({ type: 'answer', sdp: 'a' });
    expect(t.events).toEqual([{ name: 'localScreen', payload: { callId: 'c1', stream } }]);
  });

  it('a cancelled picker publishes nothing and rejects with FD_SDK_MEDIA_PERMISSION_DENIED', async () => {
    const t = setup({ picker: () => Promise.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' })) });
    await expect(t.screen.start('c1')).rejects.toMatchObject({ code: 'FD_SDK_MEDIA_PERMISSION_DENIED' });
    expect(t.sent).toEqual([]);
    expect(FakePeerConnection.all).toEqual([]);
  });

  it('stop tells the server before closing the leg (the others hear stopped, not lost); the browser\'s own Stop does the same', async () => {
    const t = setup();
    const stream = (await t.screen.start('c1')) as unknown as FakeStream;
    const [pc] = FakePeerConnection.all;
    const stopping = t.screen.stop('c1');
    expect(pc!.isClosed).toBe(false);
    await stopping;
    expect(t.order).toEqual(['call.share.publish', 'call.share.stop']);
    expect(pc!.isClosed).toBe(true);
    expect(stream.track.isStopped).toBe(true);
    expect(t.events.at(-1)).toEqual({ name: 'localScreen', payload: { callId: 'c1', stream: null } });

    const again = (await t.screen.start('c1')) as unknown as FakeStream;
    again.track.end();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.order).toEqual(['call.share.publish', 'call.share.stop', 'call.share.publish', 'call.share.stop']);
  });

  it("another party's open subscribes to its screen and answers; its close ends the view; the call's end ends everything", async () => {
    const t = setup();
    t.screen.onFrame(t.share('open', AGENT, [{ sharer: AGENT, since: 1 }]));
    await new Promise((r) => setTimeout(r, 0));
    expect(t.sent).toEqual([
      { type: 'call.share.subscribe', callId: 'c1', sharer: AGENT },
      { type: 'call.share.answer', callId: 'c1', legId: 'view-leg', answer: { type: 'answer', sdp: 'answer' } },
    ]);
    expect(t.screen.isSharing('c1')).toBe(true);
    expect(t.events.filter((e) => e.name === 'remoteScreen').map((e) => (e.payload as { stream: unknown }).stream !== null)).toEqual([true]);
    // A candidate of the media server for the view's leg reaches its peer connection.
    t.screen.onFrame({ type: 'call.share.ice', callId: 'c1', legId: 'view-leg', candidate: { candidate: 'candidate:1' } });
    expect(FakePeerConnection.all[0]!.remoteCandidates).toEqual([{ candidate: 'candidate:1' }]);

    t.screen.onFrame(t.share('close', AGENT));
    expect(FakePeerConnection.all[0]!.isClosed).toBe(true);
    expect(t.events.filter((e) => e.name === 'remoteScreen').at(-1)!.payload).toEqual({ callId: 'c1', party: AGENT, stream: null });
    expect(t.screen.isSharing('c1')).toBe(false);

    // Its own open (the server's echo of this page's share) subscribes to nothing.
    t.screen.onFrame(t.share('open', VISITOR, [{ sharer: VISITOR, since: 2 }]));
    expect(t.sent.filter((f) => f.type === 'call.share.subscribe')).toHaveLength(1);
    // Every `call.share` is an event of the controller (the widget's consent card listens for `invited`).
    expect(t.events.filter((e) => e.name === 'share').map((e) => (e.payload as CallShareEvent).event)).toEqual(['open', 'close', 'open']);
  });
});
