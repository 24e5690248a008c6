/**
 * The in-page side of a media test party: publishes the fake camera and microphone and subscribes to
 * other parties through the signalling relay (signalling-relay.ts). Installed with
 * `page.evaluate(installCallClient, { signalUrl, participantId })`: Playwright sends the function's
 * source, so it must not use anything from outside its body.
 */

export interface CallClientTimings {
  /** performance.now() when publish() started, when its peer connection was connected. */
  publishStartMs?: number;
  publishConnectedMs?: number;
  /** Per publisher: subscribe() start, connected, first frame of the remote video. */
  subscriptions: Record<string, { startMs: number; connectedMs?: number }>;
}

export interface CallClientWindow {
  __call: {
    publish(): Promise<{ legId: string }>;
    subscribe(publisherParticipantId: string): Promise<{ legId: string }>;
    /** Resolves once the subscription's peer connection is connected and both tracks arrived. */
    waitForRemote(publisherParticipantId: string, timeoutMs: number): Promise<void>;
    setLocalAudioEnabled(enabled: boolean): void;
    /** Stops (null track) or resumes sending one kind on the publisher leg: no RTP at all while stopped. */
    setSending(kind: 'audio' | 'video', isSending: boolean): Promise<void>;
    /** ICE restart of the publisher leg (browser's offer) or of a subscription (server's offer): the server's ufrag before and after. */
    restartPublisherIce(): Promise<{ before: string; after: string }>;
    restartSubscriptionIce(publisherParticipantId: string): Promise<{ before: string; after: string }>;
    remote: Record<string, { stream: MediaStream; audio?: MediaStreamTrack; video?: MediaStreamTrack }>;
    events: { type: string; legId?: string }[];
    timings: CallClientTimings;
  };
}

export async function installCallClient({ signalUrl, participantId }: { signalUrl: string; participantId: string }): Promise<void> {
  type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };
  const socket = new WebSocket(`${signalUrl}?participant=${encodeURIComponent(participantId)}`);
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('signalling socket failed'));
  });
  const pending = new Map<number, Pending>();
  const legs = new Map<string, RTCPeerConnection>();
  let nextId = 1;
  const state: CallClientWindow['__call'] = {
    publish,
    subscribe,
    waitForRemote,
    setLocalAudioEnabled: (enabled) => localStream?.getAudioTracks().forEach((t) => (t.enabled = enabled)),
    setSending: async (kind, isSending) => {
      const sender = publisher?.getTransceivers().find((t) => t.sender.track?.kind === kind || t.receiver.track.kind === kind)?.sender;
      const track = localStream?.getTracks().find((t) => t.kind === kind) ?? null;
      await sender?.replaceTrack(isSending ? track : null);
    },
    restartPublisherIce,
    restartSubscriptionIce,
    remote: {},
    events: [],
    timings: { subscriptions: {} },
  };
  let localStream: MediaStream | undefined;
  let publisher: RTCPeerConnection | undefined;
  let publisherLegId: string | undefined;
  const subscriptionLegs = new Map<string, string>();
  const remoteUfrag = (pc: RTCPeerConnection) => /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription?.sdp ?? '')?.[1] ?? '';

  socket.onmessage = (message) => {
    const push = JSON.parse(String(message.data)) as
      | { type: 'reply'; id: number; ok: boolean; result?: unknown; error?: string }
      | { type: 'event'; event: { type: string; legId?: string; candidate?: RTCIceCandidateInit | null } };
    if (push.type === 'reply') {
      const p = pending.get(push.id);
      pending.delete(push.id);
      if (push.ok) p?.resolve(push.result);
      else p?.reject(new Error(push.error));
      return;
    }
    state.events.push({ type: push.event.type, ...(push.event.legId ? { legId: push.event.legId } : {}) });
    if (push.event.type === 'leg.ice-candidate' && push.event.legId) {
      const pc = legs.get(push.event.legId);
      void pc?.addIceCandidate(push.event.candidate ?? null).catch(() => {});
    }
  };

  function request<T>(body: Record<string, unknown>): Promise<T> {
    const id = nextId++;
    socket.send(JSON.stringify({ id, ...body }));
    return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  /** Candidates gathered before the leg id is known wait here. */
  function trickle(pc: RTCPeerConnection, legId: () => string | undefined): () => void {
    const queued: (RTCIceCandidateInit | null)[] = [];
    const send = (candidate: RTCIceCandidateInit | null) => void request({ type: 'candidate', legId: legId(), candidate }).catch(() => {});
    pc.onicecandidate = (e) => {
      const candidate = e.candidate ? e.candidate.toJSON() : null;
      if (legId()) send(candidate);
      else queued.push(candidate);
    };
    return () => queued.splice(0).forEach(send);
  }

  function connected(pc: RTCPeerConnection): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed') reject(new Error('peer connection failed'));
      };
      pc.addEventListener('connectionstatechange', check);
      check();
    });
  }

  async function publish(): Promise<{ legId: string }> {
    state.timings.publishStartMs = performance.now();
    // NOTE: no echo cancellation, noise suppression or gain control: they would attenuate the steady test tone.
    localStream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      video: true,
    });
    const pc = new RTCPeerConnection();
    publisher = pc;
    let legId: string | undefined;
    const flush = trickle(pc, () => legId);
    for (const track of localStream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [localStream] });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const published = await request<{ legId: string; answer: RTCSessionDescriptionInit }>({ type: 'publish', offer: { type: 'offer', sdp: offer.sdp } });
    legId = published.legId;
    publisherLegId = legId;
    legs.set(legId, pc);
    await pc.setRemoteDescription(published.answer);
    flush();
    await connected(pc);
    state.timings.publishConnectedMs = performance.now();
    return { legId };
  }

  async function subscribe(publisherParticipantId: string): Promise<{ legId: string }> {
    const timing: { startMs: number; connectedMs?: number } = { startMs: performance.now() };
    state.timings.subscriptions[publisherParticipantId] = timing;
    const sub = await request<{ legId: string; offer: RTCSessionDescriptionInit }>({ type: 'subscribe', publisherParticipantId });
    const pc = new RTCPeerConnection();
    legs.set(sub.legId, pc);
    subscriptionLegs.set(publisherParticipantId, sub.legId);
    const stream = new MediaStream();
    const remote: CallClientWindow['__call']['remote'][string] = { stream };
    state.remote[publisherParticipantId] = remote;
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      if (e.track.kind === 'audio') remote.audio = e.track;
      else remote.video = e.track;
    };
    const flush = trickle(pc, () => sub.legId);
    await pc.setRemoteDescription(sub.offer);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await request({ type: 'answer', legId: sub.legId, answer: { type: 'answer', sdp: answer.sdp } });
    flush();
    void connected(pc).then(() => (timing.connectedMs = performance.now()));
    return { legId: sub.legId };
  }

  async function restartPublisherIce(): Promise<{ before: string; after: string }> {
    const pc = publisher!;
    const before = remoteUfrag(pc);
    const offer = await pc.createOffer({ iceRestart: true });
    await pc.setLocalDescription(offer);
    const { answer } = await request<{ answer: RTCSessionDescriptionInit }>({ type: 'renegotiate', legId: publisherLegId, offer: { type: 'offer', sdp: offer.sdp } });
    await pc.setRemoteDescription(answer);
    await connected(pc);
    return { before, after: remoteUfrag(pc) };
  }

  async function restartSubscriptionIce(publisherParticipantId: string): Promise<{ before: string; after: string }> {
    const legId = subscriptionLegs.get(publisherParticipantId)!;
    const pc = legs.get(legId)!;
    const before = remoteUfrag(pc);
    const { offer } = await request<{ offer: RTCSessionDescriptionInit }>({ type: 'restart-ice', legId });
    await pc.setRemoteDescription(offer);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await request({ type: 'answer', legId, answer: { type: 'answer', sdp: answer.sdp } });
    await connected(pc);
    return { before, after: remoteUfrag(pc) };
  }

  async function waitForRemote(publisherParticipantId: string, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const remote = state.remote[publisherParticipantId];
      if (remote?.audio && remote.video && state.timings.subscriptions[publisherParticipantId]?.connectedMs) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no media from ${publisherParticipantId} within ${timeoutMs} ms`);
  }

  (window as unknown as CallClientWindow).__call = state;
}
