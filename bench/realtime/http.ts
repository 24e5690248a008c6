import http from 'node:http';

/** A small JSON client over keep-alive node:http, able to pick the source address. */

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

function requestOnce(method: string, url: URL, body: string | undefined, token: string | undefined, localAddress: string | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(
      { method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent, ...(localAddress ? { localAddress } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Calls the API; retries rate limits (429, honouring retry-after) and dropped connections. */
export async function api<T>(base: string, method: string, route: string, options: { token?: string; body?: unknown; localAddress?: string } = {}): Promise<T> {
  const url = new URL(route, base);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  for (let attempt = 1; ; attempt++) {
    let res: { status: number; headers: http.IncomingHttpHeaders; text: string };
    try {
      res = await requestOnce(method, url, body, options.token, options.localAddress);
    } catch (err) {
      if (attempt < 5 && /ECONNRESET|ECONNREFUSED|socket hang up/.test(String((err as Error).message))) {
        await sleep(100 * attempt);
        continue;
      }
      throw err;
    }
    const parsed: unknown = res.text ? JSON.parse(res.text) : undefined;
    if (res.status === 429 && attempt < 20) {
      const retryAfter = Number(res.headers['retry-after']);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 500 * attempt);
      continue;
    }
    if (res.status >= 400) throw new HttpError(res.status, parsed, `${method} ${route}`);
    return parsed as T;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimited<I, O>(items: readonly I[], limit: number, fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}
