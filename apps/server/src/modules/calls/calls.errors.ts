import { DomainError } from '../../platform/errors.ts';
import type { CallErrorCode as EngineCode } from './engine/types.ts';

export type CallErrorCode = EngineCode | 'FD_CALL_NOT_ENABLED' | 'FD_CALL_NO_AGENT' | 'FD_CALL_AGENT_BUSY' | 'FD_CALL_AGENT_OFFLINE' | 'FD_REQ_INVALID' | 'FD_CALL_MEDIA_UNAVAILABLE' | 'FD_AUTH_FORBIDDEN' | 'FD_CONVERSATION_CLOSED' | 'FD_SUPERVISION_NOT_ACTIVE' | 'FD_SUPERVISION_NOT_ALLOWED' | 'FD_AGENT_NOT_FOUND';
export class CallError extends DomainError<CallErrorCode> {}

/** The target of a transfer as the protocol names it (TCCC: `userId` or `skillGroupId`, exactly one). */
export function transferTargetOf(body: { userId?: string | undefined; skillGroupId?: string | undefined }): { agentId: string } | { queueId: string } {
  if (body.userId !== undefined && body.skillGroupId === undefined) return { agentId: body.userId };
  if (body.skillGroupId !== undefined && body.userId === undefined) return { queueId: body.skillGroupId };
  throw new CallError('FD_REQ_INVALID', 'give userId (an agent) or skillGroupId (a queue), one of them');
}

/** The third party of an invite as the protocol names it: an agent (`userId`) or a visitor (`visitorId`), exactly one. */
export function inviteeOf(body: { userId?: string | undefined; visitorId?: string | undefined }): { agentId: string } | { visitorId: string } {
  if (body.userId !== undefined && body.visitorId === undefined) return { agentId: body.userId };
  if (body.visitorId !== undefined && body.userId === undefined) return { visitorId: body.visitorId };
  throw new CallError('FD_REQ_INVALID', 'give userId (an agent) or visitorId (a visitor), one of them');
}
