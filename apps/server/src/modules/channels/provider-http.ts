import type { ProviderRequest } from './adapters/channel-adapter.ts';

export interface ProviderAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The HTTP calls to providers (sends, media, templates). Never follows a redirect from an API
 * call; a media download may be redirected (CDNs). Bodies beyond `maxBytes` are refused.
 *
 * NOTE: real time (fetch's own timeout), not the injected clock: it bounds a network wait.
 */
export function createProviderHttp({ timeoutMs, maxBytes }: { timeoutMs: number; maxBytes: number }) {
  return async function call(request: ProviderRequest, options: { followRedirects?: boolean } = {}): Promise<ProviderAnswer> {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      // NOTE: a copy as a plain Uint8Array: fetch's types take no Buffer backed by a shared pool.
      ...(request.body === undefined ? {} : { body: typeof request.body === 'string' ? request.body : Uint8Array.from(request.body) }),
      redirect: options.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw new Error(`the answer is larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      if (size > maxBytes) throw new Error(`the answer is larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => (headers[key] = value));
    return { status: res.status, headers, body: Buffer.concat(chunks) };
  };
}

export type ProviderHttp = ReturnType<typeof createProviderHttp>;
