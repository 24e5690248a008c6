import type { ErrorCode } from '@frontdesk/protocol';

/**
 * An expected failure with a catalogued code. Each module narrows `C` to its own
 * closed set of codes; the HTTP edge maps codes to statuses exhaustively.
 */
export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
