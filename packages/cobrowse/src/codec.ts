import type { Batch } from './wire.ts';

/**
 * Batches on the wire: JSON, raw-deflated and base64-encoded when the browser has
 * CompressionStream (DOM text compresses 5–10×, which pays for base64's third), cut into parts
 * that fit a frame. Decoding is the reverse; both run in the browser (and Node ≥ 18).
 */
export const PART_CHARS = 48_000;

export interface EncodedPart {
  kind: Batch['kind'];
  encoding: 'json' | 'deflate';
  payload: string;
  part?: { index: number; count: number };
}

/** Below this, compressing costs more than it saves. */
export const COMPRESS_FROM_CHARS = 512;

/** A batch's JSON as frames' parts; `deflated`: its deflate already done (base64), by a worker. */
export async function encodeJson(json: string, kind: Batch['kind'], deflated?: string): Promise<EncodedPart[]> {
  let encoding: EncodedPart['encoding'] = 'json';
  let text = json;
  if (deflated !== undefined) {
    encoding = 'deflate';
    text = deflated;
  } else if (json.length >= COMPRESS_FROM_CHARS && typeof CompressionStream === 'function') {
    encoding = 'deflate';
    text = toBase64(await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw')));
  }
  if (text.length <= PART_CHARS) return [{ kind, encoding, payload: text }];
  const count = Math.ceil(text.length / PART_CHARS);
  return Array.from({ length: count }, (_, index) => ({ kind, encoding, payload: text.slice(index * PART_CHARS, (index + 1) * PART_CHARS), part: { index, count } }));
}

export async function decodePayload(encoding: 'json' | 'deflate', payload: string): Promise<Batch> {
  if (encoding === 'json') return JSON.parse(payload) as Batch;
  const bytes = await pipe(fromBase64(payload), new DecompressionStream('deflate-raw'));
  return JSON.parse(new TextDecoder().decode(bytes)) as Batch;
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
