import { DomainError } from '../../platform/errors.ts';

export type ContactErrorCode = 'FD_CONTACT_NOT_FOUND' | 'FD_CONTACT_MERGE_INVALID' | 'FD_CONTACT_ATTRIBUTES_LIMIT';
export class ContactError extends DomainError<ContactErrorCode> {}
