import { fieldErrorsOf } from '@frontdesk/sdk-agent';

/** Errors of one form: field path (`overflow.waitTimeout.toQueueId`) → message; `''` for the whole form. */
export type FieldErrors = Record<string, string>;

/** The code and message of whatever a call threw (the SDK's API error, a network error…). */
export function errorInfo(error: unknown): { code: string | undefined; message: string } {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : String(error) };
  }
  return { code: undefined, message: String(error) };
}

/** A server error as form errors: validation failures go next to their fields, anything else to the form. */
export function formErrorsOf(error: unknown): FieldErrors {
  const { code, message } = errorInfo(error);
  if (code === 'FD_REQ_INVALID') return fieldErrorsOf(message);
  return { '': message };
}

/** Issues of a client-side check (zod's `error.issues`) in the same shape as server errors. */
export function issuesToFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    errors[path] ??= issue.message;
  }
  return errors;
}

/** The errors under `prefix.` with the prefix removed (for sub-forms such as working hours). */
export function errorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const nested: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    if (path === prefix) nested[''] = message;
    else if (path.startsWith(`${prefix}.`)) nested[path.slice(prefix.length + 1)] = message;
  }
  return nested;
}

/** Errors whose path names none of the given fields: shown at the top of the form. */
export function unplacedErrors(errors: FieldErrors, placed: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([path]) => path === '' || !placed.some((p) => path === p || path.startsWith(`${p}.`)))
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
}
