import { CreateCannedResponseBody, type CannedResponse } from '@frontdesk/protocol';
import type { CreateCannedResponseInput } from '@frontdesk/sdk-agent';
import { errorInfo, formErrorsOf, issuesToFieldErrors, type FieldErrors } from './form-errors.ts';

/** A canned response form: the three fields as typed. */
export interface CannedDraft {
  shortcut: string;
  title: string;
  text: string;
}

export function emptyCannedDraft(): CannedDraft {
  return { shortcut: '', title: '', text: '' };
}

export function draftOfCanned(response: CannedResponse): CannedDraft {
  return { shortcut: response.shortcut, title: response.title, text: response.text };
}

/** The request body of a draft: every field, so a PATCH with it sets the response to what the form shows. */
export function bodyOfCannedDraft(draft: CannedDraft): CreateCannedResponseInput {
  // A leading `/` is how agents type it; the shortcut itself is the word after it.
  return { shortcut: draft.shortcut.trim().replace(/^\//, ''), title: draft.title.trim(), text: draft.text };
}

/** The server's own checks, run before sending: the same schema, so the same messages. */
export function checkCannedBody(body: CreateCannedResponseInput, messages = { textRequired: 'write the text agents will insert' }): FieldErrors {
  const result = CreateCannedResponseBody.safeParse(body);
  const errors = result.success ? {} : issuesToFieldErrors(result.error.issues);
  if (!body.text.trim()) errors.text ??= messages.textRequired;
  return errors;
}

/** A server error as form errors; a taken shortcut (409) belongs to the shortcut field. */
export function cannedFormErrorsOf(error: unknown): FieldErrors {
  const { code, message } = errorInfo(error);
  if (code === 'FD_CANNED_RESPONSE_SHORTCUT_TAKEN') return { shortcut: message };
  return formErrorsOf(error);
}

/** The first line or so of a response, on one line, for the list. */
export function previewOf(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
