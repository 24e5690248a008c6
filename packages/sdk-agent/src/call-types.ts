import type { Call, CallNoticeEvent, CallPhotoEvent, CallShareEvent, CallSupervisionJoin, CallSupervisionStep, CaptureStored, Message, PartyRef, ScreenShareState, SupervisionMode } from '@frontdesk/protocol';
import type { CallMediaState } from '@frontdesk/sdk-core/calls';
import type { SdkResult } from './types.ts';

/**
 * The public types of the agent's calls (TCCC `tccc.Call`, `tccc.Video`, `tccc.Devices` and the
 * call events; seed 004). A call's TCCC `sessionId` is its call id. `callIn`, `userAccessed`,
 * `autoTransfer` and `sessionEnded` are shared with chats and stay in types.ts.
 */

/** Event payloads of calls, by name (part of `AgentEventMap`). */
export interface CallEventMap {
  /** A call this agent made rings the visitor (TCCC 外呼成功; `tabUUID`: the tab that called out). */
  callOuted: { sessionId: string; type: 'voip' | 'video'; conversationId: string | null; tabUUID?: string };
  /** The visitor answered this agent's call (TCCC 外呼对方接听). */
  calloutAccepted: { sessionId: string };
  /** A call this agent is in (or is rung for) changed: every view the server sends. */
  callUpdated: { call: Call };
  /**
   * Each transition of this agent's part in a call, with the Easemob state code (seed v190307:
   * 004000 ringing, 006013 answered, 005007 the visitor hung up…), the code before it, and the TCCC
   * event that goes with it (what `callIn`, `callOuted`… are made of). `IMClient` is built on it.
   */
  callNotice: {
    sessionId: string;
    conversationId: string | null;
    code: string;
    previous: string | null;
    tccc: CallNoticeEvent['tccc'];
    about: PartyRef | null;
  };
  /** Another party's media to render (this tab only: streams do not travel between tabs), or null once gone. */
  remoteStream: { sessionId: string; party: PartyRef; stream: MediaStream | null };
  /** The agent's own camera and microphone in a call (this tab only), or null once its media stopped. */
  localStream: { sessionId: string; stream: MediaStream | null };
  /** A call's media failed (publishing gave up, a rejoin failed); the call goes on until it is hung up. */
  callError: { sessionId: string; errorCode: string; errorMsg: string };
  /** The outcome of a photo asked of the visitor's device (`takePhoto`): its image message, or `snapShotDisabled`. */
  callPhoto: { sessionId: string; requestId: string; message: Message | null; error: CallPhotoEvent['error'] };
  /** A supervision step of a call: to the supervisor, and to the call's agent unless it is silent monitoring (SPEC M28). */
  callSupervision: { sessionId: string; step: CallSupervisionStep };
  /**
   * Screen share in a call: `open` / `close` (a screen is shared / no more: `by` whose, `reason`),
   * `invited` (an agent asked the visitor), `declined` (the visitor said not now, or could not).
   */
  screenShare: { sessionId: string; event: CallShareEvent['event']; by: PartyRef; reason: CallShareEvent['reason']; shares: CallShareEvent['shares'] };
  /** Another party's shared screen to render (this tab only), or null once it closed. */
  remoteScreen: { sessionId: string; party: PartyRef; stream: MediaStream | null };
  /** The agent's own shared screen (this tab only), or null once it stopped. */
  localScreen: { sessionId: string; stream: MediaStream | null };
}

/**
 * TCCC `tccc.Call` for audio calls (and any call: a video call answered here gets its camera too).
 * A call's `sessionId` is its call id (from `callIn`, `callOuted`, `callUpdated`); left out, the
 * agent's only live call. Phone-number methods answer SDK_NOT_SUPPORTED.
 */
export interface CallNamespace {
  startOutboundCall(options: { phoneNumber: string; callerPhoneNumber?: string; uui?: string }): Promise<SdkResult<{ sessionId: string }>>;
  /** Answers a ringing call: the microphone (and camera, for video) opens first, then the media connects. */
  accept(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /** Hangs up (or declines a ringing call). */
  hungUp(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  /** Removes an ended call from `list()`. */
  deleteCall(options: { sessionId: string }): void;
  muteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  unmuteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  isMicMuted(options?: { sessionId?: string }): Promise<SdkResult<boolean>>;
  /**
   * Blind transfer of the call you hold (TCCC `Call.transfer`): to an agent (`userId`, who rings;
   * FD_CALL_AGENT_BUSY when it is in another call) or a queue (`skillGroupId`, routed like a new
   * call). The visitor waits on hold; you leave the call. An agent who does not answer sends the
   * call back to you (you ring); a queue's overflow rules apply to a queued call.
   */
  transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<SdkResult<Call>>;
  /** Consults another agent (`userId`) while the visitor waits on hold, hearing nobody; that agent rings. */
  consult(options: { sessionId: string; userId: string }): Promise<SdkResult<Call>>;
  /** Warm transfer: the consult becomes three-way; when you then hang up, the consulted agent keeps the call. */
  completeConsult(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /** Ends the consult: the consulted agent leaves and you are back with the visitor. */
  cancelConsult(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /**
   * Invites a third party into the call you hold (Easemob videoInviteAgent / videoInviteVisitor): an
   * agent of the app (`userId`) or a visitor (`visitorId`) rings; once it answers every party hears and
   * sees every other. Up to 6 parties, one invite ringing at a time. It may leave without ending the
   * call; your hang-up ends it for all. Errors: FD_CALL_INVITE_PENDING, FD_CALL_PARTICIPANT_LIMIT,
   * FD_CALL_ALREADY_PARTICIPANT, FD_CALL_AGENT_BUSY, FD_CALL_AGENT_OFFLINE, FD_CALL_VISITOR_IN_CALL,
   * FD_AGENT_NOT_FOUND, FD_VISITOR_NOT_FOUND.
   */
  addParticipant(options: { sessionId: string; userId?: string; visitorId?: string }): Promise<SdkResult<Call>>;
  /** Puts the call on hold: neither side hears or sees the other (enforced at the media server). */
  hold(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  unHold(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  sendDigits(options: { sessionId?: string; dtmfText: string }): Promise<SdkResult>;
  /**
   * Calls another agent of the app (TCCC `Call.startInternalCall`, 内线): `calleeUserId` rings (its
   * `callIn` has `type: 'internal'` and your id as `peerUserId`); audio unless `type: 'video'`. The
   * microphone (and camera) opens first. Errors: FD_CALL_AGENT_BUSY (in a call, or cannot take one),
   * FD_CALL_AGENT_OFFLINE (signed out), FD_AGENT_NOT_FOUND (not an agent of this app); `useMobile`
   * (calling the agent's phone) is SDK_NOT_SUPPORTED. The call ends as any: `callee_refused`,
   * `callee_busy`, `callee_timeout`, `callee_hung_up`, or your hang-up.
   */
  startInternalCall(options: { calleeUserId: string; type?: 'audio' | 'video'; useMobile?: boolean }): Promise<SdkResult<Call>>;
  /** Calls the visitor of a conversation this agent serves (`sessionId` = the conversation), audio only. */
  inviteCurrentVisitor(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /**
   * Supervisors and admins (SPEC M28; TCCC `Call.monitor`): listens to a live call, nobody hears
   * you. By voice (the default) the microphone opens and the visitor's and agent's media arrive as
   * `remoteStream`; one call at a time. `textOnly` follows the call without its media (several at once).
   */
  monitor(options: { sessionId: string; textOnly?: boolean }): Promise<SdkResult<CallSupervisionJoin>>;
  /** Switches a voice supervision: `whisper` (the agent hears you), `barge` (both hear you), `monitor`; your media stays connected. */
  supervise(options: { sessionId: string; mode: SupervisionMode }): Promise<SdkResult<CallSupervisionJoin>>;
  /** Stops supervising the call (its media closes). */
  stopSupervising(options: { sessionId: string }): Promise<SdkResult<CallSupervisionJoin>>;
  /** Takes a call you supervise over (TCCC `Call.intercept`, 强拆): its agent leaves, you talk with the visitor. */
  intercept(options: { sessionId: string }): Promise<SdkResult<Call>>;
  /** The calls this agent is in or rung for, live first (a snapshot). */
  list(): readonly Call[];
  get(options: { sessionId: string }): Call | null;
  /** A call's streams and mute/camera flags, in the tab holding the connection; null elsewhere or before its media started. */
  getMedia(options?: { sessionId?: string }): CallMediaState | null;
  /** Easemob `snapshot`: a frame of the visitor's video, stored as an image of the conversation (both sides see it). */
  snapshot(options?: { sessionId?: string }): Promise<SdkResult<CaptureStored>>;
  /**
   * Easemob `takePhoto`: a photo from the visitor's camera at its own resolution, stored as the
   * visitor's image; fails with errorCode `snapShotDisabled` when the visitor's browser cannot take it.
   */
  takePhoto(options?: { sessionId?: string }): Promise<SdkResult<CaptureStored>>;
  /** Easemob `inviteShare`: asks the visitor to share a screen (its page asks for consent); `screenShare` events follow. */
  inviteShare(options?: { sessionId?: string }): Promise<SdkResult>;
  /** Shares the agent's own screen (the browser's picker first); runs in the tab holding the connection. */
  shareScreen(options?: { sessionId?: string }): Promise<SdkResult>;
  stopScreenShare(options?: { sessionId?: string }): Promise<SdkResult>;
  /** Easemob `isShareState`: the screens shared in the call now. */
  shareState(options?: { sessionId?: string }): Promise<SdkResult<ScreenShareState>>;
}

/** TCCC `tccc.Video`: the same calls, with the camera. */
export interface VideoNamespace {
  accept(options: { sessionId: string }): Promise<SdkResult<Call>>;
  end(options?: { sessionId?: string }): Promise<SdkResult<Call>>;
  muteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  unmuteMic(options?: { sessionId?: string }): Promise<SdkResult>;
  /** Turns the camera off: the visitor's picture of the agent stops (enforced at the media server). */
  muteVideo(options?: { sessionId?: string }): Promise<SdkResult>;
  unmuteVideo(options?: { sessionId?: string }): Promise<SdkResult>;
  /** As `Call.transfer`. */
  transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<SdkResult<Call>>;
  /** Calls the visitor of a conversation this agent serves, with video (Easemob videoInviteCurrentVisitor). */
  inviteCurrentVisitor(options: { sessionId: string }): Promise<SdkResult<Call>>;
}

export interface DevicesNamespace {
  /** WebSocket, fetch, and (for calls) getUserMedia, RTCPeerConnection and a secure context are present. */
  isBrowserSupported(): boolean;
  getMicrophones(): Promise<MediaDeviceInfo[]>;
  /** Play remote audio on one with `HTMLMediaElement.setSinkId` (the SDK draws nothing). */
  getSpeakers(): Promise<MediaDeviceInfo[]>;
  getCameras(): Promise<MediaDeviceInfo[]>;
  /** The microphone calls use: switched at once in live calls, kept for the next ones. */
  selectMicrophone(options: { deviceId: string }): Promise<SdkResult>;
  selectCamera(options: { deviceId: string }): Promise<SdkResult>;
}

