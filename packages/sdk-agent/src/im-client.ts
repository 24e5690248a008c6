import type { FailureCode } from './results.ts';
import type { CaptureStored } from '@frontdesk/protocol';
import type { AgentClient, AgentEventMap, Call, SdkResult } from './types.ts';

/**
 * What the `(state, payload)` callbacks of the Easemob API (seed 001, v190307) receive: `state` is
 * the agent's Easemob code of the transition ('003002' invite sent, '006012' the visitor accepted,
 * '005005' the visitor hung up…); failures before the call exists come with the flow's error code
 * ('002011' pick-up, '002004' call a visitor, '002009' call the current visitor) and `error`.
 */
export interface EasemobPayload {
  /** The conversation (Easemob `serviceSessionId`). */
  session_id: string | null;
  callId: string | null;
  /** The code before this one. */
  previous: string | null;
  /** The TCCC event of the same transition, if any. */
  tccc: AgentEventMap['callNotice']['tccc'] | null;
  call: Call | null;
  error?: { code: string; msg: string };
}
export type EasemobCallback = (state: string, payload: EasemobPayload) => void;

/** `initInnerCallBack`: notices that belong to no API call. */
export interface EasemobInnerCallbacks {
  /** An IM conversation this agent served ended. */
  chatCloseCB?: (data: { session_id: string; closeBy: string | null }) => void;
  /** A call ended (deprecated in the seed's v1204, kept: each flow's callback says it too). */
  videoCloseCB?: (data: { callId: string; session_id: string | null; closeBy: string | null; endStatus?: string | undefined }) => void;
  /** A member's stream stopped for more than 3 s (seed v1216). */
  visitorStreamOffline?: (data: { callId: string; session_id: string; role: 'visitor' | 'agent'; userId: string }) => void;
}

type Done<T> = { success?: (data: T) => void; error?: (data: { error: { code: string; msg: string } }) => void };

const NOT_SUPPORTED_BY_NAME =
  "calling a visitor by name is not supported by this server yet: call the visitor of a conversation with videoInviteCurrentVisitor";
/** Runs an integration's callback: its failure is its own. */
function safely(work: () => void): void {
  try {
    work();
  } catch {
    // The integration's callback: its failure is its own.
  }
}

/** Notices of a call nobody registered for yet: an invite's first notice comes before its reply. */
const EARLY_KEPT = 20;

/**
 * An Easemob-compatible `IMClient` (seed 001) over the agent SDK, for integrations written against
 * Easemob's kefu plugin: the seed's method names, its `(state, payload)` callbacks with the numeric
 * codes, which the server sends per agent and transition (`callNotice`; the engine's codes are the
 * seed's), and `success`/`error` options where the seed has them. Nothing here talks to the server
 * itself: every call goes through the client's TCCC namespaces.
 *
 * ```js
 * const im = new IMClient({ client: sdk });
 * im.videoInviteCurrentVisitor(null, (state, payload) => { if (state === '006012') showCall(payload.callId); });
 * ```
 */
export class IMClient {
  readonly #client: AgentClient;
  readonly #callbacks = new Map<string, EasemobCallback>();
  /** The callback of the latest third-party invite of each call (videoInviteAgent / videoInviteVisitor): it hears the call's codes from then on. */
  readonly #inviteCallbacks = new Map<string, EasemobCallback>();
  readonly #early = new Map<string, AgentEventMap['callNotice'][]>();
  readonly #lastCode = new Map<string, string>();
  readonly #offline = new Set<string>();
  readonly #off: (() => void)[] = [];
  #inner: EasemobInnerCallbacks = {};
  /** The IM conversation `chatClose` and `videoInviteCurrentVisitor` mean. */
  #session: string | null = null;
  /** The call `videoDisconnect` means. */
  #call: string | null = null;

  constructor(options: { client: AgentClient }) {
    const client = (this.#client = options.client);
    this.#off.push(
      client.on('callNotice', (notice) => this.#onNotice(notice)),
      client.on('userAccessed', ({ sessionId }) => {
        if (client.Chat.get({ sessionId })) this.#session = sessionId;
      }),
      client.on('sessionEnded', ({ sessionId, closeBy, type, endStatus }) => {
        if (!type) return this.#inner.chatCloseCB?.({ session_id: sessionId, closeBy });
        this.#inner.videoCloseCB?.({ callId: sessionId, session_id: client.Call.get({ sessionId })?.conversationId ?? null, closeBy, endStatus });
      }),
      client.on('callUpdated', ({ call }) => this.#onCall(call)),
    );
  }

  /** The Easemob state machine's `currentState`: the code of the current call's last transition, else the status's. */
  get currentState(): string {
    const call = this.#call ? this.#client.Call.get({ sessionId: this.#call }) : null;
    return (call && call.phase !== 'ended' && this.#lastCode.get(call.id)) || this.#client.Agent.getStatus().easemobCode;
  }

  initInnerCallBack(callbacks: EasemobInnerCallbacks): void {
    this.#inner = { ...callbacks };
  }

  /** 接起IM会话: accepts an offered conversation. */
  async pickUpSession(options: { session_id: string } & Done<{ session_id: string }>): Promise<SdkResult> {
    const result = await this.#client.Chat.accept({ sessionId: options.session_id });
    if (result.status === 'success') this.#session = options.session_id;
    this.#done(result, options, { session_id: options.session_id });
    return result;
  }

  /** 挂断当前IM会话: ends the current IM conversation. */
  async chatClose(): Promise<SdkResult> {
    const sessionId = this.#currentSession();
    if (!sessionId) return { status: 'error', errorCode: 'FD_CONVERSATION_NOT_FOUND', errorMsg: 'no current IM session' };
    const result = await this.#client.Chat.end({ sessionId });
    return result.status === 'success' ? { status: 'success', data: undefined } : result;
  }

  /** 主坐席接起音视频: answers the call ringing for a conversation (or a call id); codes 006013, 001001, 002011, 005007, 005008. */
  async videoPickUp(options: { session_id: string } & Done<Call>, callback?: EasemobCallback): Promise<SdkResult<Call>> {
    const call = this.#client.Call.list().find((c) => c.phase !== 'ended' && (c.id === options.session_id || c.conversationId === options.session_id));
    if (!call) return this.#failed('002011', { code: 'FD_CALL_NOT_FOUND', msg: `no call rings for ${options.session_id}` }, options, callback);
    if (callback) this.#callbacks.set(call.id, callback);
    this.#call = call.id;
    const result = await this.#client.Video.accept({ sessionId: call.id });
    if (result.status === 'error') {
      this.#callbacks.delete(call.id);
      return this.#failed('002011', { code: result.errorCode, msg: result.errorMsg }, options, callback, call);
    }
    this.#done(result, options, result.data);
    return result;
  }

  /** 挂断音视频: hangs up the current call. */
  videoDisconnect(): Promise<SdkResult<Call>> {
    return this.#client.Video.end(this.#current);
  }

  /** 外呼访客 (by the visitor's name): not supported by the server yet; the callback gets 002004 with the reason. */
  async callbackToVisitor(options: { visitorName: string; startVideo?: boolean } & Done<Call>, callback?: EasemobCallback): Promise<SdkResult<Call>> {
    return this.#failed('002004', { code: 'SDK_NOT_SUPPORTED', msg: NOT_SUPPORTED_BY_NAME }, options, callback);
  }

  /**
   * 邀请当前访客音视频: calls the visitor of the current conversation (or `session_id`); video unless
   * `startVideo: false`. Codes 003002, 006012, 002006–002010, 005005, 005006.
   */
  async videoInviteCurrentVisitor(options: ({ session_id?: string; startVideo?: boolean } & Done<Call>) | null, callback?: EasemobCallback): Promise<SdkResult<Call>> {
    const sessionId = options?.session_id ?? this.#currentSession();
    if (!sessionId) return this.#failed('002009', { code: 'FD_CONVERSATION_NOT_FOUND', msg: 'no current IM session to call the visitor of' }, options ?? {}, callback);
    const invite = options?.startVideo === false ? this.#client.Call.inviteCurrentVisitor : this.#client.Video.inviteCurrentVisitor;
    const result = await invite({ sessionId });
    if (result.status === 'error') return this.#failed('002009', { code: result.errorCode, msg: result.errorMsg }, options ?? {}, callback);
    this.#call = result.data.id;
    this.#follow(result.data.id, callback);
    this.#done(result, options ?? {}, result.data);
    return result;
  }

  /**
   * 邀请三方坐席 (videoInviteAgent): invites another agent (`agentName`: its agent id) into the live call
   * this agent holds. The callback hears 007002 (sent), 008002 (it joined), 006006–006010 (refused, busy,
   * rang out, failed, left), 008000 (three or more still in), 005002 (you hung up); 006009 and `error`
   * when the invite is refused before it rings.
   */
  videoInviteAgent(options: { agentName: string } & Done<Call>, callback?: EasemobCallback): Promise<SdkResult<Call>> {
    return this.#invite({ userId: options.agentName }, '006009', options, callback);
  }

  /**
   * 邀请三方访客 (videoInviteVisitor): invites a visitor (`visitorName`: its visitor id) into the live call
   * this agent holds; its widget rings. Codes 007001, 008001, 006001–006005, 008000, 005001; 006004 and
   * `error` when the invite is refused before it rings (SDK_11-like: the visitor is in another call).
   */
  videoInviteVisitor(options: { visitorName: string } & Done<Call>, callback?: EasemobCallback): Promise<SdkResult<Call>> {
    return this.#invite({ visitorId: options.visitorName }, '006004', options, callback);
  }

  /**
   * 被邀请的三方坐席接起音视频 (multipleVideoPickUp): answers the third-party invite ringing for this
   * agent. Codes 006014 (joined), 001002 (rang out), 002012 (failed), 005009 (the visitor ended the
   * call), 005010 (you left, or the main agent ended it).
   */
  async multipleVideoPickUp(options: Done<Call> | null, callback?: EasemobCallback): Promise<SdkResult<Call>> {
    const me = this.#client.Agent.me()?.id;
    const call = this.#client.Call.list().find((c) => c.phase === 'active' && c.mainAgentId !== me && c.participants.some((p) => p.role === 'agent' && p.userId === me && p.leg === 'ringing'));
    if (!call) return this.#failed('002012', { code: 'FD_CALL_NOT_FOUND', msg: 'no third-party invite rings for you' }, options ?? {}, callback);
    this.#follow(call.id, callback);
    this.#call = call.id;
    const result = await this.#client.Video.accept({ sessionId: call.id });
    if (result.status === 'error') {
      this.#callbacks.delete(call.id);
      return this.#failed('002012', { code: result.errorCode, msg: result.errorMsg }, options ?? {}, callback, call);
    }
    this.#done(result, options ?? {}, result.data);
    return result;
  }

  /** 是否在三方视频中 (isMultipleVideo): `success({ data: true })` while three or more parties are in the live call. */
  isMultipleVideo(options: Done<{ data: boolean }> = {}): SdkResult<{ data: boolean }> {
    const call = this.#liveCall();
    const inMedia = call ? call.participants.filter((p) => p.leg === 'connecting' || p.leg === 'connected' || p.leg === 'held').length : 0;
    return this.#settle({ status: 'success', data: { data: inMedia >= 3 } }, options);
  }

  /** 截图 (seed 2.4): a frame of the visitor's video in the live call, stored as an image of the conversation. */
  async snapshot(options: Done<CaptureStored> = {}): Promise<SdkResult<CaptureStored>> {
    return this.#settle(await this.#client.Call.snapshot(this.#current), options);
  }

  /**
   * 拍照 (seed 2.4): a photo from the visitor's camera. When the visitor's browser cannot take it,
   * `error` gets the seed's message: `{ mark: 'takePhoto', subMark: 'error', error: { type: 'snapShotDisabled', msg } }`.
   */
  async takePhoto(options: Omit<Done<CaptureStored>, 'error'> & { error?: (data: { mark: 'takePhoto'; subMark: 'error'; error: { type: string; msg: string } }) => void } = {}): Promise<SdkResult<CaptureStored>> {
    const result = await this.#client.Call.takePhoto(this.#current);
    safely(() => {
      if (result.status === 'success') options.success?.(result.data);
      else options.error?.({ mark: 'takePhoto', subMark: 'error', error: { type: result.errorCode, msg: result.errorCode === 'snapShotDisabled' ? 'snapShotDisabled' : result.errorMsg } });
    });
    return result;
  }

  /**
   * 邀请访客共享 (seed 2.5): asks the visitor to share a screen. `open` when the visitor's screen is
   * shared (its stream comes as `remoteScreen`), `close` when it stops, `error` when the invitation
   * failed (refused by the server, or the visitor said not now: `{ error: { code, msg } }`).
   */
  async inviteShare(options: { open?: (data: AgentEventMap['screenShare']) => void; close?: (data: AgentEventMap['screenShare']) => void; error?: (data: { error: { code: string; msg: string } }) => void } = {}): Promise<SdkResult> {
    const sessionId = this.#call;
    const result = await this.#client.Call.inviteShare(sessionId ? { sessionId } : {});
    if (result.status === 'error') {
      safely(() => options.error?.({ error: { code: result.errorCode, msg: result.errorMsg } }));
      return result;
    }
    // NOTE: the visitor's answer comes later, as the call's share events: followed until its share closes or it declines.
    const off = this.#client.on('screenShare', (event) => {
      if ((sessionId && event.sessionId !== sessionId) || event.by.role !== 'visitor') return;
      if (event.event === 'open') safely(() => options.open?.(event));
      if (event.event === 'close') safely(() => options.close?.(event));
      if (event.event === 'declined') safely(() => options.error?.({ error: { code: event.reason ?? 'refused', msg: 'the visitor did not share a screen' } }));
      if (event.event === 'close' || event.event === 'declined') off();
    });
    this.#off.push(off);
    return result;
  }

  /** 是否在屏幕共享中 (isShareState): `success({ data: true })` while a screen is shared in the live call. */
  async isShareState(options: Done<{ data: boolean }> = {}): Promise<SdkResult<{ data: boolean }>> {
    const result = await this.#client.Call.shareState(this.#current);
    return this.#settle(result.status === 'success' ? { status: 'success', data: { data: result.data.shares.length > 0 } } : result, options);
  }

  /** 获取当前正在进行的会话的数量: `success({ payload: { sessionCount } })`, the IM conversations this agent serves. */
  sessionCount(options: Done<{ payload: { sessionCount: number } }> = {}): number {
    const sessionCount = this.#client.Chat.list().filter((v) => v.role === 'assigned').length;
    options.success?.({ payload: { sessionCount } });
    return sessionCount;
  }

  /** 获取当前正在进行的会话的详情: the conversations served and the live calls. */
  sessionState(options: Done<{ payload: ReturnType<IMClient['state']> }> = {}): ReturnType<IMClient['state']> {
    const payload = this.state();
    options.success?.({ payload });
    return payload;
  }

  /** The details `sessionState` reports. */
  state() {
    return {
      currentState: this.currentState,
      sessions: this.#client.Chat.list()
        .filter((v) => v.role === 'assigned')
        .map((v) => ({ session_id: v.conversation.id, visitorId: v.conversation.visitorId, unreadCount: v.unreadCount })),
      calls: this.#client.Call.list()
        .filter((c) => c.phase !== 'ended')
        .map((c) => ({ callId: c.id, session_id: c.conversationId, kind: c.kind, direction: c.direction, phase: c.phase, state: this.#lastCode.get(c.id) ?? null })),
    };
  }

  /** Stops listening to the client. */
  destroy(): void {
    for (const off of this.#off.splice(0)) off();
    this.#callbacks.clear();
    this.#inviteCallbacks.clear();
  }

  // ─────────────────────────────────────────────────────────────────────────────────────

  async #invite(invitee: { userId?: string; visitorId?: string }, errorState: string, options: Done<Call>, callback: EasemobCallback | undefined): Promise<SdkResult<Call>> {
    const call = this.#liveCall();
    if (!call) return this.#failed(errorState, { code: 'FD_CALL_NOT_FOUND', msg: 'no live call to invite into' }, options, callback);
    if (callback) this.#inviteCallbacks.set(call.id, callback);
    else this.#inviteCallbacks.delete(call.id);
    const result = await this.#client.Call.addParticipant({ sessionId: call.id, ...invitee });
    if (result.status === 'error') {
      this.#inviteCallbacks.delete(call.id);
      return this.#failed(errorState, { code: result.errorCode, msg: result.errorMsg }, options, callback, call);
    }
    this.#done(result, options, result.data);
    return result;
  }

  /** The live call meant: the current one, else the agent's only live call. */
  #liveCall(): Call | null {
    const live = this.#client.Call.list().filter((c) => c.phase !== 'ended');
    return live.find((c) => c.id === this.#call) ?? (live.length === 1 ? live[0]! : null);
  }

  /** Delivers a call's notices to `callback`, those that came before it first. */
  #follow(callId: string, callback: EasemobCallback | undefined): void {
    if (callback) {
      this.#callbacks.set(callId, callback);
      for (const notice of this.#early.get(callId) ?? []) this.#deliver(callback, notice);
    }
    this.#early.delete(callId);
  }

  #currentSession(): string | null {
    if (this.#session && this.#client.Chat.get({ sessionId: this.#session })?.role === 'assigned') return this.#session;
    const served = this.#client.Chat.list().filter((v) => v.role === 'assigned');
    return served.length === 1 ? served[0]!.conversation.id : null;
  }

  #onNotice(notice: AgentEventMap['callNotice']): void {
    this.#lastCode.set(notice.sessionId, notice.code);
    const callback = this.#callbacks.get(notice.sessionId);
    const inviteCallback = this.#inviteCallbacks.get(notice.sessionId);
    if (inviteCallback && inviteCallback !== callback) this.#deliver(inviteCallback, notice);
    if (callback) this.#deliver(callback, notice);
    else if (!inviteCallback) {
      const early = this.#early.get(notice.sessionId) ?? [];
      early.push(notice);
      this.#early.set(notice.sessionId, early);
      for (const id of [...this.#early.keys()].slice(0, Math.max(0, this.#early.size - EARLY_KEPT))) this.#early.delete(id);
    }
    if (notice.tccc?.event === 'sessionEnded') {
      this.#callbacks.delete(notice.sessionId);
      this.#inviteCallbacks.delete(notice.sessionId);
      this.#early.delete(notice.sessionId);
    }
  }

  #deliver(callback: EasemobCallback, notice: AgentEventMap['callNotice']): void {
    const call = this.#client.Call.get({ sessionId: notice.sessionId });
    safely(() => callback(notice.code, { session_id: notice.conversationId ?? call?.conversationId ?? null, callId: notice.sessionId, previous: notice.previous, tccc: notice.tccc, call }));
  }

  /** Easemob `visitorStreamOffline`: a member's stream stopped for more than 3 s. */
  #onCall(call: Call): void {
    for (const p of call.participants) {
      const key = `${call.id}|${p.role}:${p.userId}`;
      if (p.isStreamOffline && !this.#offline.has(key)) {
        this.#offline.add(key);
        // An internal call (no conversation) is not the Easemob client's: it has no session to name.
        if (call.conversationId !== null) this.#inner.visitorStreamOffline?.({ callId: call.id, session_id: call.conversationId, role: p.role, userId: p.userId });
      } else if (!p.isStreamOffline) this.#offline.delete(key);
    }
    if (call.phase === 'ended') for (const key of [...this.#offline]) if (key.startsWith(`${call.id}|`)) this.#offline.delete(key);
  }

  #failed<T>(state: string, error: { code: string; msg: string }, options: Done<T>, callback: EasemobCallback | undefined, call: Call | null = null): SdkResult<never> {
    safely(() => {
      callback?.(state, { session_id: call?.conversationId ?? null, callId: call?.id ?? null, previous: null, tccc: null, call, error });
      options.error?.({ error });
    });
    return { status: 'error', errorCode: error.code as FailureCode, errorMsg: error.msg };
  }

  #done<T>(result: SdkResult<unknown>, options: Done<T>, data: T): void {
    safely(() => {
      if (result.status === 'success') options.success?.(data);
      else options.error?.({ error: { code: result.errorCode, msg: result.errorMsg } });
    });
  }

  /** A result to the integration's `success` (its data) or `error`, and back to the caller. */
  #settle<T>(result: SdkResult<T>, options: Done<T>): SdkResult<T> {
    this.#done(result, options, result.status === 'success' ? result.data : (undefined as T));
    return result;
  }

  /** The live call's session, or none (the agent's only live call is meant). */
  get #current(): { sessionId?: string } {
    return this.#call ? { sessionId: this.#call } : {};
  }
}
