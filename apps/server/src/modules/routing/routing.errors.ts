import { DomainError } from '../../platform/errors.ts';
import type { RoutingErrorCode as CoreRejectionCode } from './engine/types.ts';

export type RoutingErrorCode = CoreRejectionCode | 'FD_QUEUE_NOT_FOUND' | 'FD_QUEUE_GROUP_NOT_FOUND' | 'FD_QUEUE_IN_USE' | 'FD_AREA_NOT_FOUND' | 'FD_AREA_IN_USE' | 'FD_AUTH_FORBIDDEN' | 'FD_REQ_INVALID';
export class RoutingError extends DomainError<RoutingErrorCode> {}
