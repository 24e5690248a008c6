import { SNAPSHOT_DISABLED, type Call, type CaptureKind, type CaptureStored, type Message, type PhotoRequested } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { UrlSigner } from '../../platform/crypto/index.ts';
import { newId } from '../../platform/ids.ts';
import type { Principal } from '../../platform/principal.ts';
import type { CallsService } from '../calls/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import { captureFileName, captureImageType } from './capture-image.ts';
import { CapturesError } from './captures.errors.ts';

/** How long the visitor's page has to answer a photo request (a photo of a camera takes < 2 s). */
export const PHOTO_GRANT_MS = 60_000;

/** The path a photo grant signs: one request of one call. */
const grantPath = (callId: string, requestId: string) => `/v1/calls/${callId}/photos/${requestId}`;

/** The agents of a call who hear a photo's outcome: those still in it. */
const agentsOf = (call: Call) => call.participants.filter((p) => p.role === 'agent' && p.leg !== 'left').map((p) => ({ role: 'agent' as const, id: p.userId }));

/**
 * Call snapshots and photos (SPEC M24, Easemob `snapshot` / `takePhoto`): each is an image file of the
 * call's conversation, stored through the conversations' upload path (its type and size checks, an
 * image message both sides see) and announced as `capture.stored` in that transaction.
 *
 * NOTE: a photo request holds no row: the visitor gets a grant signed for that request (HMAC, expires
 * after PHOTO_GRANT_MS) and uploads with it; the request id is the upload's client id, so a retried
 * upload stores one photo. Only an agent in the call asks; only the call's visitor answers.
 */
export function createCapturesService(deps: {
  clock: Clock;
  events: Events;
  calls: Pick<CallsService, 'get'>;
  conversations: Pick<ConversationsService, 'sendFile'>;
  grants: UrlSigner;
}) {
  const { clock, events, calls, conversations, grants } = deps;

  /** A call with a visitor in a conversation: captures are the visitor's pictures (an internal call has none). */
  type VisitorCall = Call & { conversationId: string; visitorId: string };

  /** The live video call, for an agent taking part in it. */
  async function agentCall(principal: Principal, callId: string): Promise<{ call: VisitorCall; agentId: string }> {
    if (principal.kind !== 'agent') throw new CapturesError('FD_AUTH_FORBIDDEN', 'only an agent in the call takes snapshots and asks for photos');
    const call = await calls.get(principal, callId);
    if (call.phase === 'ended') throw new CapturesError('FD_CALL_ENDED', 'the call has ended');
    if (!call.participants.some((p) => p.role === 'agent' && p.userId === principal.agentId && p.leg !== 'left')) throw new CapturesError('FD_CALL_NOT_PARTICIPANT', 'you are not in this call');
    return { call: requireLiveVideo(call), agentId: principal.agentId };
  }

  /** The live video call, for its visitor. */
  async function visitorCall(principal: Principal, callId: string): Promise<VisitorCall> {
    if (principal.kind !== 'visitor') throw new CapturesError('FD_AUTH_FORBIDDEN', "a photo is sent by the call's visitor");
    const call = await calls.get(principal, callId);
    if (call.visitorId !== principal.visitorId) throw new CapturesError('FD_CALL_NOT_PARTICIPANT', 'you are not in this call');
    return requireLiveVideo(call);
  }

  function requireLiveVideo(call: Call): VisitorCall {
    if (call.phase === 'ended') throw new CapturesError('FD_CALL_ENDED', 'the call has ended');
    if (call.conversationId === null || call.visitorId === null) throw new CapturesError('FD_CALL_NOT_ALLOWED', 'an internal call has no visitor to take a picture of');
    if (call.kind !== 'video') throw new CapturesError('FD_CALL_NOT_ALLOWED', 'snapshots and photos are taken in video calls');
    if (call.phase !== 'active') throw new CapturesError('FD_CALL_NOT_ALLOWED', 'the video is not on (the call is not connected, or on hold)');
    return { ...call, conversationId: call.conversationId, visitorId: call.visitorId };
  }

  function requireGrant(callId: string, requestId: string, grant: { expires: number; signature: string }): void {
    if (!grants.isValid(grantPath(callId, requestId), grant, clock.now())) throw new CapturesError('FD_CAPTURE_GRANT_INVALID', 'the photo request is invalid or expired');
  }

  async function store(principal: Principal, call: VisitorCall, kind: CaptureKind, input: { clientId: string; bytes: Buffer; ip?: string | undefined; agentId: string | null }) {
    const type = captureImageType(input.bytes);
    if (!type) throw new CapturesError('FD_FILE_TYPE_NOT_ALLOWED', 'a snapshot or photo is a JPEG or PNG image');
    const at = clock.now();
    const result = await conversations.sendFile(
      principal,
      call.conversationId,
      { clientId: input.clientId, name: captureFileName(kind, type, at), declaredType: type, bytes: input.bytes, ip: input.ip, capture: kind },
      (ctx, message) => ctx.emit('capture.stored', { appId: principal.appId, kind, callId: call.id, conversationId: call.conversationId, visitorId: call.visitorId, agentId: input.agentId, message, at }),
    );
    return result;
  }

  const storedOf = (kind: CaptureKind, callId: string, message: Message): CaptureStored => ({ kind, callId, fileId: message.file?.id ?? '', message });

  return {
    /** The agent's snapshot of the visitor's video (a frame its browser took): stored as the agent's image. */
    async snapshot(principal: Principal, callId: string, input: { bytes: Buffer; ip?: string | undefined }): Promise<CaptureStored> {
      const { call, agentId } = await agentCall(principal, callId);
      const { message } = await store(principal, call, 'snapshot', { clientId: newId('snap'), bytes: input.bytes, ip: input.ip, agentId });
      return storedOf('snapshot', call.id, message);
    },

    /** The agent asks the visitor's device for a photo: the visitor's page gets `call.photo-request` with a grant. */
    async requestPhoto(principal: Principal, callId: string): Promise<PhotoRequested> {
      const { call } = await agentCall(principal, callId);
      const requestId = newId('photo');
      const expiresAt = clock.now() + PHOTO_GRANT_MS;
      const grant = new URLSearchParams(grants.sign(grantPath(call.id, requestId), expiresAt));
      await events.published('capture.relayed', {
        appId: principal.appId,
        to: [{ role: 'visitor', id: call.visitorId }],
        frame: { type: 'call.photo-request', callId: call.id, requestId, expires: Number(grant.get('expires')), signature: grant.get('signature')! },
      });
      return { requestId, expiresAt };
    },

    /** The visitor's photo for a request: stored as the visitor's image; the agents in the call get it. */
    async storePhoto(principal: Principal, callId: string, requestId: string, grant: { expires: number; signature: string }, input: { bytes: Buffer; ip?: string | undefined }): Promise<CaptureStored> {
      requireGrant(callId, requestId, grant);
      const call = await visitorCall(principal, callId);
      const { message, created } = await store(principal, call, 'photo', { clientId: requestId, bytes: input.bytes, ip: input.ip, agentId: call.mainAgentId });
      if (created) await events.published('capture.relayed', { appId: principal.appId, to: agentsOf(call), frame: { type: 'call.photo', callId: call.id, requestId, message, error: null } });
      return storedOf('photo', call.id, message);
    },

    /** The visitor's page could not take the photo (no camera track, the camera refused): the agents hear `snapShotDisabled`. */
    async photoFailed(principal: Principal, callId: string, requestId: string, grant: { expires: number; signature: string }, reason: string): Promise<void> {
      requireGrant(callId, requestId, grant);
      if (principal.kind !== 'visitor') throw new CapturesError('FD_AUTH_FORBIDDEN', "a photo is sent by the call's visitor");
      const call = await calls.get(principal, callId);
      if (call.visitorId !== principal.visitorId) throw new CapturesError('FD_CALL_NOT_PARTICIPANT', 'you are not in this call');
      await events.published('capture.relayed', {
        appId: principal.appId,
        to: agentsOf(call),
        frame: { type: 'call.photo', callId: call.id, requestId, message: null, error: { type: SNAPSHOT_DISABLED, msg: reason.trim() || SNAPSHOT_DISABLED } },
      });
    },
  };
}

export type CapturesService = ReturnType<typeof createCapturesService>;
