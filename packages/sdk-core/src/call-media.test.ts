import type { Call, CallParticipant } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { CallMedia } from './call-media.ts';
import type { CallRequestFrame, CallSignalling } from './call-signalling.ts';
import { toMediaError, type MediaEnvironment } from './media-devices.ts';

/**
 * CallMedia's signalling over fakes of the browser's WebRTC objects: what it asks the server, and
 * when. (Media itself is proven in e2e/media/sdk-calls.test.ts with real browsers and Janus.)
 */

class FakeTrack {
  enabled = true;
  isStopped = false;
  constructor(readonly kind: 'audio' | 'video') {}
  stop() {
    this.isStopped = true;
  }
}

class FakeStream {
  readonly tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks = [...tracks];
  }
  getTracks = () => [...this.tracks];
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
  addTrack = (t: FakeTrack) => void this.tracks.push(t);
  removeTrack = (t: FakeTrack) => void this.tracks.splice(this.tracks.indexOf(t), 1);
}

class FakePeerConnection {
  static all: FakePeerConnection[] = [];
  readonly offers: RTCOfferOptions[] = [];
  readonly remoteCandidates: unknown[] = [];
  readonly transceivers: { sender: { track: FakeTrack | null; replaceTrack(t: FakeTrack): Promise<void> }; receiver: { track: { kind: string } } }[] = [];
  remoteDescription: RTCSessionDescriptionInit | null = null;
  connectionState = 'new';
  iceConnectionState = 'new';
  isClosed = false;
  onicecandidate: ((e: { candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number } | null }) => void) | null = null;
  ontrack: ((e: { track: FakeTrack }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  constructor() {
    FakePeerConnection.all.push(this);
  }
  addTransceiver(track: FakeTrack) {
    const transceiver = { sender: { track: track as FakeTrack | null, replaceTrack: async (t: FakeTrack) => void (transceiver.sender.track = t) }, receiver: { track: { kind: track.kind } } };
    this.transceivers.push(transceiver);
  }
  getTransceivers = () => this.transceivers;
  async createOffer(options: RTCOfferOptions = {}) {
    this.offers.push(options);
    return { type: 'offer' as const, sdp: `offer ${this.offers.length}` };
  }
  createAnswer = async () => ({ type: 'answer' as const, sdp: 'answer' });
  setLocalDescription = async () => {};
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.remoteDescription = d;
    if (d.type === 'offer' && this.ontrack) for (const kind of ['audio', 'video'] as const) this.ontrack({ track: new FakeTrack(kind) });
  }
  addIceCandidate = async (c: unknown) => void this.remoteCandidates.push(c);
  addEventListener() {}
  removeEventListener() {}
  close() {
    this.isClosed = true;
  }
  /** The browser gathered a candidate. */
  gather(candidate: string) {
    this.onicecandidate?.({ candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0 } });
  }
}

const leg = (role: 'visitor' | 'agent', userId: string, state: CallParticipant['leg']): CallParticipant => ({
  seq: 0,
  role,
  userId,
  leg: state,
  micMuted: false,
  cameraOff: false,
  ringAt: null,
  acceptedAt: null,
  connectedAt: null,
  leftAt: null,
  leftReason: null,
  isStreamOffline: false,
});

function callOf(agentLeg: CallParticipant['leg'], visitorLeg: CallParticipant['leg'], patch: Partial<Call> = {}): Call {
  return {
    id: 'call_1',
    appId: 'acme',
    conversationId: 'conv_1',
    kind: 'video',
    direction: 'inbound',
    phase: 'connecting',
    visitorId: 'v1',
    mainAgentId: 'a1',
    mediaReady: true,
    participants: [leg('visitor', 'v1', visitorLeg), leg('agent', 'a1', agentLeg)],
    createdAt: 0,
    ringAt: null,
    acceptedAt: null,
    connectedAt: null,
    endedAt: null,
    endReason: null,
    hungUpSide: null,
    ...patch,
  };
}

/** The agent a1's media in call_1, over a server that answers every request at once. */
function setUp(call: Call, extra: Partial<MediaEnvironment> = {}) {
  FakePeerConnection.all = [];
  const requests: CallRequestFrame[] = [];
  const ice: unknown[] = [];
  let publishers = 0;
  let subscribers = 0;
  /** Publish replies the test let go, and the one waiting. */
  let released = 0;
  let release: (() => void) | undefined;
  const signalling: CallSignalling = {
    async request<T>(frame: CallRequestFrame): Promise<T> {
      requests.push(frame);
      if (frame.type === 'call.publish') {
        // The reply waits until the test releases it: candidates gathered meanwhile must wait.
        if (released === 0) await new Promise<void>((r) => (release = r));
        else released--;
        return { legId: `pub-${++publishers}`, answer: { type: 'answer', sdp: 'server answer' } } as T;
      }
      if (frame.type === 'call.subscribe') return { legId: `sub-${++subscribers}`, offer: { type: 'offer', sdp: 'server offer' } } as T;
      if (frame.type === 'call.renegotiate') return { answer: { type: 'answer', sdp: 'restart answer' } } as T;
      if (frame.type === 'call.restart') return { offer: { type: 'offer', sdp: 'restart offer' } } as T;
      return {} as T;
    },
    notify: (frame) => void ice.push(frame),
  };
  const local = new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]);
  const env: MediaEnvironment = { RTCPeerConnection: FakePeerConnection as never, MediaStream: FakeStream as never, networkEvents: [], ...extra };
  const media = new CallMedia({ join: { call, iceServers: [{ urls: ['stun:127.0.0.1:3478'] }] }, self: { role: 'agent', id: 'a1' }, local: local as never, signalling, env });
  const remote: { role: string; hasStream: boolean }[] = [];
  media.on('remoteStream', ({ party, stream }) => remote.push({ role: party.role, hasStream: stream !== null }));
  const settle = () => new Promise((r) => setTimeout(r, 0));
  // NOTE: a publish request goes after its offer is made, so it may follow a subscription asked for at the same time.
  return { media, requests, ice, local, remote, settle, releasePublish: () => {
      if (release) release();
      else released++;
      release = undefined;
    }, types: () => requests.map((r) => r.type).sort() };
}

describe('one participant\'s media in a call', () => {
  it('publishes once its leg is in the room and the room is ready; candidates gathered before the leg id wait for it', async () => {
    const t = setUp(callOf('ringing', 'connected', { mediaReady: true }));
    t.media.update(callOf('ringing', 'connected'));
    await t.settle();
    expect(t.types()).toEqual([]);
    t.media.update(callOf('connecting', 'connected', { mediaReady: false }));
    await t.settle();
    expect(t.types()).toEqual([]);
    t.media.update(callOf('connecting', 'connected'));
    await t.settle();
    expect(t.requests.find((r) => r.type === 'call.publish')).toMatchObject({ callId: 'call_1', offer: { type: 'offer', sdp: 'offer 1' } });
    // The visitor was already connected: subscribed to at once.
    expect(t.requests.find((r) => r.type === 'call.subscribe')).toMatchObject({ publisher: { role: 'visitor', id: 'v1' } });
    const publisher = FakePeerConnection.all[0]!;
    publisher.gather('candidate:1 1 udp 1 127.0.0.2 5000 typ host');
    expect(t.ice).toEqual([]);
    t.releasePublish();
    await t.settle();
    expect(t.ice).toEqual([{ type: 'call.ice', callId: 'call_1', legId: 'pub-1', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } }]);
    expect(t.remote).toEqual([{ role: 'visitor', hasStream: true }]);
    expect(t.types()).toEqual(['call.answer', 'call.publish', 'call.subscribe']);
  });

  it('follows call.publisher: down ends the stream, up subscribes again, once; its own announcement is ignored', async () => {
    const t = setUp(callOf('connecting', 'connecting'));
    t.media.update(callOf('connecting', 'connecting'));
    t.releasePublish();
    await t.settle();
    expect(t.types()).toEqual(['call.publish']);
    t.media.onSignal({ type: 'call.publisher', callId: 'call_1', publisher: { role: 'agent', id: 'a1' }, up: true });
    t.media.onSignal({ type: 'call.publisher', callId: 'call_1', publisher: { role: 'visitor', id: 'v1' }, up: true });
    t.media.update(callOf('connected', 'connected'));
    await t.settle();
    expect(t.types()).toEqual(['call.answer', 'call.publish', 'call.subscribe']);
    t.media.onSignal({ type: 'call.publisher', callId: 'call_1', publisher: { role: 'visitor', id: 'v1' }, up: false });
    expect(FakePeerConnection.all[1]!.isClosed).toBe(true);
    t.media.update(callOf('connected', 'connected'));
    t.media.onSignal({ type: 'call.publisher', callId: 'call_1', publisher: { role: 'visitor', id: 'v1' }, up: true });
    await t.settle();
    expect(t.types()).toEqual(['call.answer', 'call.answer', 'call.publish', 'call.subscribe', 'call.subscribe']);
    expect(t.remote).toEqual([
      { role: 'visitor', hasStream: true },
      { role: 'visitor', hasStream: false },
      { role: 'visitor', hasStream: true },
    ]);
  });

  it('restarts ICE when the server says it failed: a new offer on the publisher, the server\'s new offer answered on a subscription', async () => {
    const t = setUp(callOf('connected', 'connected'));
    t.media.update(callOf('connected', 'connected'));
    t.releasePublish();
    await t.settle();
    t.media.onSignal({ type: 'call.ice-failed', callId: 'call_1', legId: 'pub-1' });
    t.media.onSignal({ type: 'call.ice-failed', callId: 'call_1', legId: 'sub-1' });
    await t.settle();
    expect(FakePeerConnection.all.find((pc) => pc.offers.length > 0)!.offers).toEqual([{}, { iceRestart: true }]);
    const restarts = t.requests.slice(3);
    expect(restarts.find((r) => r.type === 'call.renegotiate')).toMatchObject({ legId: 'pub-1', offer: { sdp: 'offer 2' } });
    expect(restarts.filter((r) => r.type !== 'call.renegotiate')).toMatchObject([
      { type: 'call.restart', legId: 'sub-1' },
      { type: 'call.answer', legId: 'sub-1' },
    ]);
  });

  it('mutes and turns the camera off on the tracks at once and tells the server, which enforces it', async () => {
    const t = setUp(callOf('connected', 'connected'));
    await t.media.setMicMuted(true);
    await t.media.setCameraOff(true);
    expect(t.local.tracks.map((track) => [track.kind, track.enabled])).toEqual([
      ['audio', false],
      ['video', false],
    ]);
    expect(t.requests).toEqual([
      { type: 'call.media', callId: 'call_1', micMuted: true },
      { type: 'call.media', callId: 'call_1', cameraOff: true },
    ]);
    expect([t.media.isMicMuted, t.media.isCameraOff]).toEqual([true, true]);
  });

  it('switches devices: a track sent is replaced on its leg, a kind not sent is added with a renegotiation; the network coming back restarts ICE until the call closes', async () => {
    const opened: FakeTrack[] = [];
    const getUserMedia = async (c: MediaStreamConstraints) => {
      const track = new FakeTrack(c.audio ? 'audio' : 'video');
      opened.push(track);
      return new FakeStream([track]);
    };
    const network = new EventTarget();
    const t = setUp(callOf('connected', 'connected'), { mediaDevices: { getUserMedia, enumerateDevices: async () => [] } as never, networkEvents: [network] });
    // Published with the microphone alone: the camera's track is not sent yet.
    const camera = t.local.getVideoTracks()[0]!;
    t.local.removeTrack(camera);
    t.media.update(callOf('connected', 'connected'));
    t.releasePublish();
    await t.settle();
    const publisher = FakePeerConnection.all[0]!;
    const microphone = t.local.getAudioTracks()[0]!;
    await t.media.switchDevices({ audioInputId: 'mic-2', videoInputId: 'cam-2' });
    const [newMicrophone, newCamera] = opened;
    expect(microphone.isStopped).toBe(true);
    expect(t.local.tracks).toEqual([newMicrophone, newCamera]);
    expect(publisher.transceivers.map((x) => x.sender.track)).toEqual([newMicrophone, newCamera]);
    expect(t.requests.filter((r) => r.type === 'call.renegotiate')).toMatchObject([{ legId: 'pub-1' }]);
    expect(publisher.offers).toEqual([{}, {}]);
    network.dispatchEvent(new Event('online'));
    await t.settle();
    expect(publisher.offers).toEqual([{}, {}, { iceRestart: true }]);
    t.media.close();
    const asked = t.requests.length;
    network.dispatchEvent(new Event('change'));
    await t.settle();
    expect(t.requests).toHaveLength(asked);
  });

  it('after a reconnect it publishes and subscribes again; the end of the call stops its tracks and the remote streams', async () => {
    const t = setUp(callOf('connected', 'connected'));
    t.media.update(callOf('connected', 'connected'));
    t.releasePublish();
    await t.settle();
    t.media.reconnect({ call: callOf('connected', 'connected'), iceServers: [] });
    await t.settle();
    t.releasePublish();
    await t.settle();
    expect(t.types()).toEqual(['call.answer', 'call.answer', 'call.publish', 'call.publish', 'call.subscribe', 'call.subscribe']);
    expect(FakePeerConnection.all.slice(0, 2).every((pc) => pc.isClosed)).toBe(true);
    t.media.update(callOf('left', 'left', { phase: 'ended', endReason: 'visitor_hung_up' }));
    expect(t.local.tracks.every((track) => track.isStopped)).toBe(true);
    expect(FakePeerConnection.all.every((pc) => pc.isClosed)).toBe(true);
    expect(t.remote.at(-1)).toEqual({ role: 'visitor', hasStream: false });
    expect(t.media.isClosed).toBe(true);
  });
});

describe('media capture failures', () => {
  const env = (kinds: MediaDeviceKind[]): MediaEnvironment => ({
    mediaDevices: { getUserMedia: async () => Promise.reject(new Error('unused')), enumerateDevices: async () => kinds.map((kind) => ({ kind }) as MediaDeviceInfo) },
  });
  const named = (name: string) => Object.assign(new Error(name), { name });

  it('names what went wrong: permission, which device is missing, a busy device', async () => {
    expect((await toMediaError(named('NotAllowedError'), true, env(['audioinput', 'videoinput']))).code).toBe('FD_SDK_MEDIA_PERMISSION_DENIED');
    expect((await toMediaError(named('NotFoundError'), true, env(['audioinput']))).code).toBe('FD_SDK_MEDIA_NO_CAMERA');
    expect((await toMediaError(named('NotFoundError'), false, env(['videoinput']))).code).toBe('FD_SDK_MEDIA_NO_MICROPHONE');
    expect((await toMediaError(named('NotFoundError'), true, env([]))).code).toBe('FD_SDK_MEDIA_NO_MICROPHONE');
    expect((await toMediaError(named('NotReadableError'), true, env(['audioinput', 'videoinput']))).code).toBe('FD_SDK_MEDIA_DEVICE_BUSY');
  });
});
