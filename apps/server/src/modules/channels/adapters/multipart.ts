import { randomBytes } from 'node:crypto';

/** A part of a multipart/form-data body: a text field, or a file with its name and type. */
export type FormPart = { name: string; value: string } | { name: string; file: { bytes: Buffer; fileName: string; mimeType: string } };

/** Quotes a name for Content-Disposition: the characters that would break the header are dropped. */
const quoted = (value: string) => `"${value.replace(/["\r\n\\]/g, '_')}"`;

/**
 * A multipart/form-data body (RFC 7578), for providers' upload endpoints (WhatsApp media, Messenger
 * attachments, Telegram sendPhoto/sendDocument). Pure but for the boundary's randomness.
 */
export function multipartBody(parts: readonly FormPart[]): { contentType: string; body: Buffer } {
  const boundary = `----frontdesk${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head =
      'value' in part
        ? `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(part.name)}\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(part.name)}; filename=${quoted(part.file.fileName)}\r\nContent-Type: ${part.file.mimeType}\r\n\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), 'value' in part ? Buffer.from(part.value, 'utf8') : part.file.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
