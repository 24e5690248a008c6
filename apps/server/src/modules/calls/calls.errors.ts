import { DomainError } from '../../platform/errors.ts';
import type { CallErrorCode as EngineCode } from './engine/types.ts';

export type CallErrorCode = EngineCode | 'FD_CALL_NOT_ENABLED' | 'FD_CALL_NO_AGENT' | 'FD_CALL_MEDIA_UNAVAILABLE' | 'FD_AUTH_FORBIDDEN' | 'FD_CONVERSATION_CLOSED' | 'FD_SUPERVISION_NOT_ACTIVE' | 'FD_SUPERVISION_NOT_ALLOWED';
export class CallError extends DomainError<CallErrorCode> {}
