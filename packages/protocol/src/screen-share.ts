import { z } from 'zod';
import { IceCandidate, Jsep, PartyRef } from './calls.ts';
import { Id, TimestampMs } from './model.ts';

/**
 * Screen share in calls (SPEC M24, Easemob `inviteShare` / `isShareState`). A party of a connected
 * call publishes its screen on a second publisher leg of the call's room (`call.share.publish`, video
 * only); the others receive it on their own subscriber leg (`call.share.subscribe`), beside the camera.
 * The server keeps who shares since when and tells every party (`call.share`: `open`, `close`). An agent
 * may invite the visitor to share (`call.share.invite`): the visitor's page asks for consent, and
 * either publishes (the browser's picker follows) or declines.
 */

const RequestId = z.string().min(1).max(64);

/** One screen being shared in a call. */
export const ScreenShare = z.object({ sharer: PartyRef, since: TimestampMs });
export type ScreenShare = z.infer<typeof ScreenShare>;

/** Why a share closed. */
export const SCREEN_SHARE_CLOSE_REASONS = ['stopped', 'ended', 'lost', 'left'] as const;
export const ScreenShareCloseReason = z.enum(SCREEN_SHARE_CLOSE_REASONS);
export type ScreenShareCloseReason = z.infer<typeof ScreenShareCloseReason>;

// ── client → server ────────────────────────────────────────────────────────────────────────────
/** An agent of the call invites its visitor to share a screen (the reply is `{}`). */
export const CallShareInviteFrame = z.object({ type: z.literal('call.share.invite'), id: RequestId, callId: Id });
/** The visitor answers "not now" to an invitation, or its browser could not share (the reply is `{}`). */
export const CallShareDeclineFrame = z.object({ type: z.literal('call.share.decline'), id: RequestId, callId: Id, reason: z.enum(['refused', 'unavailable']).default('refused') });
/** Publish one's screen (video only): the reply is `{ legId, answer }`; the share opens when its media is up. */
export const CallSharePublishFrame = z.object({ type: z.literal('call.share.publish'), id: RequestId, callId: Id, offer: Jsep });
/** Stop one's share (the reply is `{}`; idempotent). */
export const CallShareStopFrame = z.object({ type: z.literal('call.share.stop'), id: RequestId, callId: Id });
/** Receive another party's screen: the reply is `{ legId, offer }`; answer with `call.share.answer`. */
export const CallShareSubscribeFrame = z.object({ type: z.literal('call.share.subscribe'), id: RequestId, callId: Id, sharer: PartyRef });
export const CallShareAnswerFrame = z.object({ type: z.literal('call.share.answer'), id: RequestId, callId: Id, legId: Id, answer: Jsep });
/** A trickled candidate of the browser for one of its screen legs (no reply). */
export const CallShareIceFrame = z.object({ type: z.literal('call.share.ice'), callId: Id, legId: Id, candidate: IceCandidate.nullable() });
/** ICE restart or new offer on one's screen publisher leg (the network changed or ICE failed): the reply is `{ answer }`. */
export const CallShareRenegotiateFrame = z.object({ type: z.literal('call.share.renegotiate'), id: RequestId, callId: Id, legId: Id, offer: Jsep });
/** ICE restart of a screen subscriber leg: the reply is `{ offer }`; answer with `call.share.answer`. */
export const CallShareRestartFrame = z.object({ type: z.literal('call.share.restart'), id: RequestId, callId: Id, legId: Id });
/** The call's shares now (`isShareState`): the reply is a `ScreenShareState`. */
export const CallShareStateFrame = z.object({ type: z.literal('call.share.state'), id: RequestId, callId: Id });

export const SCREEN_SHARE_CLIENT_FRAMES = [
  CallShareInviteFrame,
  CallShareDeclineFrame,
  CallSharePublishFrame,
  CallShareStopFrame,
  CallShareSubscribeFrame,
  CallShareAnswerFrame,
  CallShareIceFrame,
  CallShareRenegotiateFrame,
  CallShareRestartFrame,
  CallShareStateFrame,
] as const;

/** Reply of `call.share.state`: every screen shared in the call now (none: `[]`). */
export const ScreenShareState = z.object({ callId: Id, shares: z.array(ScreenShare) });
export type ScreenShareState = z.infer<typeof ScreenShareState>;

// ── server → client ────────────────────────────────────────────────────────────────────────────
/**
 * To every party of the call: `open` (a screen is shared: subscribe to it), `close` (it stopped:
 * `reason`), `invited` (an agent asks the visitor to share: the visitor's page asks for consent),
 * `declined` (the visitor said not now, or its browser could not: `reason`). `by` is the sharer (open,
 * close), the inviting agent (invited) or the visitor (declined); `shares` is the call's state after it.
 */
export const CallShareEvent = z.object({
  type: z.literal('call.share'),
  callId: Id,
  event: z.enum(['open', 'close', 'invited', 'declined']),
  by: PartyRef,
  reason: z.union([ScreenShareCloseReason, z.enum(['refused', 'unavailable'])]).nullable(),
  shares: z.array(ScreenShare),
  at: TimestampMs,
});
export type CallShareEvent = z.infer<typeof CallShareEvent>;
/** A candidate of the media server for one of this client's screen legs; `null` = end of candidates. */
export const CallShareIceEvent = z.object({ type: z.literal('call.share.ice'), callId: Id, legId: Id, candidate: IceCandidate.nullable() });

/** ICE failed on the media server's side of one of this client's screen legs: restart that leg's ICE. */
export const CallShareIceFailedEvent = z.object({ type: z.literal('call.share.ice-failed'), callId: Id, legId: Id });

export const SCREEN_SHARE_SERVER_FRAMES = [CallShareEvent, CallShareIceEvent, CallShareIceFailedEvent] as const;
