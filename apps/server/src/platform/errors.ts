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

/**
 * The server is saturated (its send queue or its database pool): nothing was done, the same request
 * may go again after `retryAfterMs`. Answered at once, so a client never waits for a timeout.
 */
export class BusyError extends DomainError<'FD_BUSY'> {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('FD_BUSY', message);
  }
}
