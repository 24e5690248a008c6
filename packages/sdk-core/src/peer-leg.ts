import type { IceCandidate, IceServer } from '@frontdesk/protocol';

/**
 * One leg of a call: one RTCPeerConnection to the media server (the publisher of one's own camera
 * and microphone, or a subscriber of another party), with trickle ICE in both directions and its
 * negotiations run one at a time.
 */
export class PeerLeg {
  readonly pc: RTCPeerConnection;
  #legId: string | null = null;
  /** Our candidates gathered before the server named the leg. */
  #localQueue: (IceCandidate | null)[] = [];
  /** The server's candidates that came before its description was applied. */
  #remoteQueue: (IceCandidate | null)[] = [];
  #isRemoteReady = false;
  #chain: Promise<unknown> = Promise.resolve();
  #isClosed = false;
  /** When the last ICE restart started (restarts are spaced out). */
  lastRestartAtMs = 0;

  constructor(
    readonly kind: 'publisher' | 'subscriber',
    RTCPeerConnectionImpl: new (config?: RTCConfiguration) => RTCPeerConnection,
    iceServers: readonly IceServer[],
    private readonly sendCandidate: (legId: string, candidate: IceCandidate | null) => void,
  ) {
    this.pc = new RTCPeerConnectionImpl({ iceServers: iceServers.map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username } : {}), ...(s.credential ? { credential: s.credential } : {}) })) });
    this.pc.onicecandidate = (event) => {
      // NOTE: an empty candidate string is some browsers' end-of-candidates marker, as is null.
      const candidate = event.candidate?.candidate ? { candidate: event.candidate.candidate, sdpMid: event.candidate.sdpMid, sdpMLineIndex: event.candidate.sdpMLineIndex } : null;
      if (this.#legId) this.sendCandidate(this.#legId, candidate);
      else this.#localQueue.push(candidate);
    };
  }

  get legId(): string | null {
    return this.#legId;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** The server named the leg: the candidates gathered so far go now. */
  named(legId: string): void {
    this.#legId = legId;
    for (const candidate of this.#localQueue.splice(0)) this.sendCandidate(legId, candidate);
  }

  /** A candidate of the media server (null: no more). */
  addRemoteCandidate(candidate: IceCandidate | null): void {
    if (!this.#isRemoteReady) {
      this.#remoteQueue.push(candidate);
      return;
    }
    this.pc.addIceCandidate(candidate ?? undefined).catch(() => {
      // A candidate of an earlier ICE generation, or the leg closed: nothing to do.
    });
  }

  /** Applies the server's description and the candidates that waited for it. */
  async setRemote(description: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(description);
    this.#isRemoteReady = true;
    for (const candidate of this.#remoteQueue.splice(0)) this.addRemoteCandidate(candidate);
  }

  /** Runs one negotiation after the ones before it (an ICE restart never overlaps a device change). */
  serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work, work);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.oniceconnectionstatechange = null;
    try {
      this.pc.close();
    } catch {
      // already closed
    }
  }
}
