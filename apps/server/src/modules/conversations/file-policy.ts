import { fileTypeFromBuffer } from 'file-type';

/**
 * What may be uploaded: the type is read from the bytes (magic numbers), never trusted
 * from the client. SVG, HTML and other active content are refused; plain text is accepted
 * only when declared as text and free of binary bytes.
 */
const ALLOWED_BINARY_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'video/mp4',
  'video/webm',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);
const TEXT_TYPES = new Set(['text/plain', 'text/csv']);

/** Images that a browser may show inline; everything else downloads as an attachment. */
export const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export type FileCheck = { ok: true; mimeType: string } | { ok: false; reason: string };

export async function checkFileType(bytes: Uint8Array, declaredType: string | undefined): Promise<FileCheck> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    return ALLOWED_BINARY_TYPES.has(detected.mime)
      ? { ok: true, mimeType: detected.mime }
      : { ok: false, reason: `file type ${detected.mime} is not allowed` };
  }
  const declared = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  if (TEXT_TYPES.has(declared) && isPlainText(bytes)) return { ok: true, mimeType: declared };
  return { ok: false, reason: `file type ${declared || 'unknown'} is not allowed` };
}

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !/<\s*(html|script|svg|!doctype)/i.test(text.slice(0, 1024));
  } catch {
    return false;
  }
}
