import type { EncodedPart } from './codec.ts';
import { COMPRESS_FROM_CHARS, encodeJson } from './codec.ts';

/**
 * Encoding off the page's main thread: the deflate and base64 of each batch run in a worker made
 * from a blob URL. A page whose Content-Security-Policy refuses blob: workers (or a browser without
 * them) encodes on the main thread instead, with the same output.
 */
export interface BatchEncoder {
  encode(json: string, kind: EncodedPart['kind']): Promise<EncodedPart[]>;
  close(): void;
}

/** The worker's whole source: self-contained, it imports nothing. */
function workerMain(): void {
  const scope = self as unknown as { onmessage: ((e: MessageEvent<{ id: number; json: string }>) => void) | null; postMessage(message: unknown): void };
  scope.onmessage = async (event) => {
    const { id, json } = event.data;
    const stream = new Blob([new TextEncoder().encode(json)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    scope.postMessage({ id, base64: btoa(binary) });
  };
}

export function createBatchEncoder(): BatchEncoder {
  const inline: BatchEncoder = { encode: (json, kind) => encodeJson(json, kind), close: () => {} };
  if (typeof Worker !== 'function' || typeof CompressionStream !== 'function') return inline;
  let worker: Worker;
  let url: string;
  try {
    url = URL.createObjectURL(new Blob([`(${workerMain.toString()})()`], { type: 'text/javascript' }));
    worker = new Worker(url);
  } catch {
    return inline;
  }
  let next = 0;
  let broken = false;
  const waiting = new Map<number, (base64: string | null) => void>();
  worker.onmessage = (event: MessageEvent<{ id: number; base64: string }>) => {
    waiting.get(event.data.id)?.(event.data.base64);
    waiting.delete(event.data.id);
  };
  // Refused by the page's CSP, or failing: from then on, on the main thread.
  worker.onerror = () => {
    broken = true;
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  };
  return {
    async encode(json, kind) {
      if (broken || json.length < COMPRESS_FROM_CHARS) return encodeJson(json, kind);
      const id = ++next;
      const base64 = await new Promise<string | null>((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ id, json });
      });
      return base64 === null ? encodeJson(json, kind) : encodeJson(json, kind, base64);
    },
    close() {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
