import type { Call, CallKind, DeviceChoice, MediaDeviceLists, VisitorClient } from '@frontdesk/sdk-visitor';
import { partyKey, withRemoteStream } from './call-parties.ts';
import type { PhotoNotice } from './call-transcript.ts';

/**
 * What the call screen shows: nothing; the camera and microphone opening (before the call exists,
 * while the browser asks for permission); a call (ringing either way, connecting, in progress, or
 * just ended, until dismissed); or why a call could not start.
 */
export type CallStage =
  | { name: 'idle' }
  | { name: 'preparing'; kind: CallKind }
  | { name: 'call'; call: Call }
  | { name: 'error'; code: string; kind: CallKind | null };

export interface CallView {
  stage: CallStage;
  /** The visitor's own camera and microphone in the current call (the self view). */
  local: MediaStream | null;
  /** The other parties' media in the current call by party (`partyKey`): the agent's, and anyone it invited; one each. */
  remotes: ReadonlyMap<string, MediaStream>;
  /** A media failure during the call (`FD_SDK_MEDIA_FAILED`, `FD_CALL_MEDIA_UNAVAILABLE`…); the call goes on. */
  mediaError: string | null;
  /** The calls of the shown conversation, newest first (the transcript shows them). */
  history: Call[];
  /** Photos the agent took with the visitor's camera (or could not): consent made visible in the transcript. */
  photos: PhotoNotice[];
}

/** An ended call stays on the call screen this long (its reason and duration), then the transcript keeps it. */
const ENDED_SHOWN_MS = 10_000;

const isLive = (call: Call) => call.phase !== 'ended';
const NO_STREAMS: ReadonlyMap<string, MediaStream> = new Map();

/** The visitor's own leg in a call. */
export function ownLeg(call: Call, visitorId: string | null) {
  return call.participants.find((p) => p.role === 'visitor' && p.userId === visitorId);
}

/** An agent calls the visitor and it rings here. */
export function isRingingHere(call: Call, visitorId: string | null): boolean {
  return isLive(call) && ownLeg(call, visitorId)?.leg === 'ringing';
}

/**
 * The panel's calls over the visitor SDK: the SDK places, answers and rejoins calls and runs their
 * media; this keeps what the call screen and the transcript show. It lives in the panel chunk (no
 * call UI, no WebRTC code): the call screen itself is loaded the first time a call is shown.
 */
export class CallModel {
  private client: VisitorClient | null = null;
  private listeners = new Set<() => void>();
  private endedTimer: ReturnType<typeof setTimeout> | undefined;
  /** The visitor cancelled while the camera was opening: the call is hung up as soon as it exists. */
  private cancelStart = false;
  view: CallView = { stage: { name: 'idle' }, local: null, remotes: NO_STREAMS, mediaError: null, history: [], photos: [] };

  constructor(
    private readonly deps: {
      /** The shown conversation: only its calls are in the transcript. */
      conversationId: () => string | null;
      /** A call rings for the visitor: the panel should be in sight. */
      onRing?: (() => void) | undefined;
    },
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<CallView>) {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }

  get visitorId(): string | null {
    return this.client?.visitorId ?? null;
  }

  /** The SDK client the calls run on (the screen share card talks to it); null before it connected. */
  get sdk(): VisitorClient | null {
    return this.client;
  }

  /** Follows a (new) SDK client's call events; returns what stops following them. */
  attach(client: VisitorClient): (() => void)[] {
    this.client = client;
    this.set({ stage: { name: 'idle' }, local: null, remotes: NO_STREAMS, mediaError: null, history: [], photos: [] });
    return [
      client.on('call', (call) => this.onCall(call)),
      client.on('localStream', ({ callId, stream }) => this.isShown(callId) && this.set({ local: stream })),
      client.on('remoteStream', ({ callId, party, stream }) => this.isShown(callId) && this.set({ remotes: withRemoteStream(this.view.remotes, party, stream) })),
      client.on('callError', ({ callId, error }) => this.isShown(callId) && this.set({ mediaError: error.code })),
      // NOTE: just before the photo's message (its time minus 1 ms), so the notice reads first.
      client.on('photoTaken', ({ requestId, message }) => this.addPhoto({ key: `photo:${requestId}`, at: message.createdAt - 1, isTaken: true })),
      client.on('photoFailed', ({ requestId }) => this.addPhoto({ key: `photo:${requestId}`, at: Date.now(), isTaken: false })),
    ];
  }

  private addPhoto(photo: PhotoNotice) {
    this.set({ photos: [...this.view.photos.filter((p) => p.key !== photo.key), photo] });
  }

  /** Reads the calls of a conversation for the transcript (after a reload, or a new conversation). */
  async loadHistory(conversationId: string): Promise<void> {
    const calls = await this.client?.callHistory(conversationId).catch(() => null);
    if (!calls || conversationId !== this.deps.conversationId()) return;
    // Views that came live while reading are newer than the list.
    const live = this.view.history.filter((c) => c.conversationId === conversationId);
    const known = new Map(live.map((c) => [c.id, c]));
    this.set({ history: sortCalls([...calls.map((c) => known.get(c.id) ?? c), ...live.filter((c) => !calls.some((x) => x.id === c.id))]) });
  }

  private isPreparing(): boolean {
    return this.view.stage.name === 'preparing';
  }

  private isShown(callId: string): boolean {
    const { stage } = this.view;
    return stage.name === 'call' && stage.call.id === callId;
  }

  private onCall(call: Call) {
    const patch: Partial<CallView> = {};
    if (call.conversationId === this.deps.conversationId()) patch.history = sortCalls([call, ...this.view.history.filter((c) => c.id !== call.id)]);
    const { stage } = this.view;
    const shown = stage.name === 'call' ? stage.call : null;
    if (shown?.id === call.id) {
      patch.stage = { name: 'call', call };
      if (!isLive(call)) {
        patch.local = null;
        patch.remotes = NO_STREAMS;
        this.scheduleDismiss(call.id);
      }
    } else if (isLive(call) && (!shown || !isLive(shown))) {
      // A new live call: an agent calling, a call started here, or one rejoined after a reload.
      patch.stage = { name: 'call', call };
      const media = this.client?.callMedia(call.id);
      patch.local = media?.localStream ?? null;
      patch.remotes = new Map(media?.remoteStreams.map(({ party, stream }) => [partyKey(party), stream]) ?? []);
      patch.mediaError = null;
      clearTimeout(this.endedTimer);
      if (this.cancelStart && stage.name === 'preparing') {
        this.cancelStart = false;
        void this.client?.hangUp(call.id).catch(() => {});
      }
    }
    this.set(patch);
    if (isRingingHere(call, this.visitorId)) this.deps.onRing?.();
  }

  private scheduleDismiss(callId: string) {
    clearTimeout(this.endedTimer);
    this.endedTimer = setTimeout(() => {
      if (this.isShown(callId) && this.view.stage.name === 'call' && !isLive(this.view.stage.call)) this.dismiss();
    }, ENDED_SHOWN_MS);
  }

  /** Calls the agent from the chat: the camera and microphone open first (the browser may ask). */
  async start(kind: CallKind): Promise<void> {
    const client = this.client;
    if (!client || this.view.stage.name === 'preparing') return;
    this.cancelStart = false;
    this.set({ stage: { name: 'preparing', kind }, mediaError: null });
    try {
      const call = await client.startCall({ video: kind === 'video' });
      if (this.cancelStart) {
        this.cancelStart = false;
        await client.hangUp(call.id).catch(() => {});
      }
      // NOTE: the SDK's `call` event usually showed the call already; this covers a reply that came first.
      if (this.isPreparing()) this.onCall(call);
    } catch (err) {
      const wasCancelled = this.cancelStart;
      this.cancelStart = false;
      this.set({ stage: wasCancelled ? { name: 'idle' } : { name: 'error', code: codeOf(err), kind } });
    }
  }

  /** Answers the agent's call (camera and microphone first); if they cannot open, the call is refused and the reason shown. */
  async accept(): Promise<void> {
    const { stage } = this.view;
    if (stage.name !== 'call' || !this.client) return;
    const { call } = stage;
    try {
      await this.client.acceptCall(call.id);
    } catch (err) {
      const code = codeOf(err);
      if (code.startsWith('FD_SDK_MEDIA')) await this.client.refuseCall({ callId: call.id }).catch(() => {});
      this.set({ stage: { name: 'error', code, kind: call.kind } });
    }
  }

  async refuse(): Promise<void> {
    const { stage } = this.view;
    if (stage.name === 'call') await this.client?.refuseCall({ callId: stage.call.id }).catch(() => {});
  }

  /** Hangs up, cancels a call still ringing or queued, or gives up opening the camera. */
  async hangUp(): Promise<void> {
    const { stage } = this.view;
    if (stage.name === 'preparing') {
      this.cancelStart = true;
      return;
    }
    if (stage.name !== 'call' || !this.client) return;
    try {
      this.onCall(await this.client.hangUp(stage.call.id));
    } catch (err) {
      this.set({ mediaError: codeOf(err) });
    }
  }

  async setMicMuted(muted: boolean): Promise<void> {
    await this.withCall((client, id) => client.setMicMuted(muted, id));
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.withCall((client, id) => client.setCameraOff(off, id));
  }

  /** Whether the visitor's microphone and camera are off (the SDK's flags, else the call's). */
  flags(): { micMuted: boolean; cameraOff: boolean } {
    const { stage } = this.view;
    if (stage.name !== 'call') return { micMuted: false, cameraOff: false };
    const media = this.client?.callMedia(stage.call.id);
    const leg = ownLeg(stage.call, this.visitorId);
    return { micMuted: media?.isMicMuted ?? leg?.micMuted ?? false, cameraOff: media?.isCameraOff ?? leg?.cameraOff ?? false };
  }

  listDevices(): Promise<MediaDeviceLists> {
    return this.client ? this.client.listDevices() : Promise.resolve({ microphones: [], speakers: [], cameras: [] });
  }

  async switchDevices(choice: DeviceChoice): Promise<void> {
    try {
      await this.client?.switchDevices(choice);
      this.set({ local: this.view.stage.name === 'call' ? (this.client?.callMedia(this.view.stage.call.id)?.localStream ?? this.view.local) : this.view.local });
    } catch (err) {
      this.set({ mediaError: codeOf(err) });
    }
  }

  /** Closes the call screen (an ended call, or an error). */
  dismiss() {
    clearTimeout(this.endedTimer);
    const { stage } = this.view;
    if (stage.name === 'call' && isLive(stage.call)) return;
    this.set({ stage: { name: 'idle' }, local: null, remotes: NO_STREAMS, mediaError: null });
  }

  clearMediaError() {
    this.set({ mediaError: null });
  }

  private async withCall(action: (client: VisitorClient, callId: string) => Promise<void>) {
    const { stage } = this.view;
    if (stage.name !== 'call' || !this.client) return;
    try {
      await action(this.client, stage.call.id);
    } catch (err) {
      this.set({ mediaError: codeOf(err) });
    }
    // The flags live in the SDK: a re-render reads them.
    this.set({});
  }

  destroy() {
    clearTimeout(this.endedTimer);
    this.listeners.clear();
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'FD_SDK_MEDIA_FAILED';
}

function sortCalls(calls: Call[]): Call[] {
  return calls.sort((a, b) => b.createdAt - a.createdAt);
}
