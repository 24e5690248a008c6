import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { parseRetryAfterMs, type AttemptOutcome } from './retry-policy.ts';
import type { TargetPolicy } from './target-url.ts';

/** The most of a response body that is read; the rest is cut off (the connection is dropped). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The start of the body kept in the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 1024;
const MAX_ERROR_LENGTH = 300;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** How much of the answer `responseExcerpt` keeps: RESPONSE_EXCERPT_BYTES by default, at most MAX_RESPONSE_BYTES. */
  excerptBytes?: number;
}

export interface WebhookResponse extends AttemptOutcome {
  latencyMs: number;
  responseExcerpt: string | null;
}

export interface WebhookClient {
  /** POSTs the request once. Never throws: a failure is an outcome with `error` set. */
  send(request: WebhookRequest, nowMs: number): Promise<WebhookResponse>;
  close(): void;
}

/**
 * The HTTP client of the delivery worker. Every connection goes through request-filtering-agent,
 * which checks the address actually connected to (after DNS), so a host name that resolves to a
 * private address, DNS rebinding and literal IPs in any form are refused at connect time; no
 * redirect is ever followed. Connections are kept alive per host.
 *
 * NOTE: the timeout is real time (setTimeout), not the injected clock: it bounds a network wait,
 * while the clock schedules attempts. It covers connect, request, status and the body read.
 */
export function createWebhookClient({ policy, timeoutMs, maxSocketsPerHost = 64 }: { policy: TargetPolicy; timeoutMs: number; maxSocketsPerHost?: number }): WebhookClient {
  const agentOptions = {
    keepAlive: true,
    maxSockets: maxSocketsPerHost,
    allowPrivateIPAddress: policy.allowPrivateTargets,
    allowMetaIPAddress: false,
    allowIPAddressList: [...policy.allowedTargets],
  };
  const httpAgent = new RequestFilteringHttpAgent(agentOptions);
  const httpsAgent = new RequestFilteringHttpsAgent(agentOptions);

  function send({ url, headers, body, excerptBytes = RESPONSE_EXCERPT_BYTES }: WebhookRequest, nowMs: number): Promise<WebhookResponse> {
    const started = performance.now();
    const keepBytes = Math.min(excerptBytes, MAX_RESPONSE_BYTES);
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: Omit<WebhookResponse, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...outcome, latencyMs: Math.round(performance.now() - started) });
      };
      const fail = (err: unknown) => finish({ statusCode: null, error: describeError(err), retryAfterMs: null, responseExcerpt: null });
      let request: http.ClientRequest;
      try {
        const target = new URL(url);
        const isHttps = target.protocol === 'https:';
        request = (isHttps ? https : http).request(target, {
          method: 'POST',
          agent: isHttps ? httpsAgent : httpAgent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        });
      } catch (err) {
        fail(err);
        return;
      }
      timer = setTimeout(() => {
        finish({ statusCode: null, error: `timed out after ${timeoutMs} ms`, retryAfterMs: null, responseExcerpt: null });
        request.destroy();
      }, timeoutMs);
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, keepBytes);
          finish({
            statusCode: response.statusCode ?? null,
            error: null,
            retryAfterMs: response.statusCode === 429 ? parseRetryAfterMs(headerOf(response.headers['retry-after']), nowMs) : null,
            responseExcerpt: excerpt.length > 0 ? excerpt.toString('utf8') : null,
          });
        };
        response.on('data', (chunk: Buffer) => {
          if (size < keepBytes) chunks.push(chunk);
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
        response.on('aborted', done);
      });
      request.end(body);
    });
  }

  return {
    send,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeError(err: unknown): string {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  const text = `${code && !message?.includes(code) ? `${code}: ` : ''}${message ?? String(err)}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
