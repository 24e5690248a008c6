/**
 * Authenticated REST over `fetch`, shared by the agent SDK, the admin console and the supervisor
 * board. Throws `ApiError` (never returns an error body); the TCCC-style namespaces wrap it into
 * `SdkResult`s.
 */
import type { ErrorCode } from '@frontdesk/protocol';
import { SdkError } from '@frontdesk/sdk-core';

/**
 * A failed REST call: `code` is a catalogue code (`FD_…`), or `SDK_NETWORK` when the request did not
 * complete; `status` the HTTP status (0 for a network error). The published name of sdk-core's
 * `SdkError`, the one error class of both SDKs.
 */
export const ApiError = SdkError;
export type ApiError = SdkError<ErrorCode | 'SDK_NETWORK'> & { readonly status: number };

const apiError = (code: ErrorCode | 'SDK_NETWORK', message: string, status: number) => new SdkError(code, message, status) as ApiError;

export interface RestClientOptions {
  baseUrl: string;
  /** Read on every request, so a refreshed or shared token is picked up. */
  getToken: () => string | null;
  fetch?: typeof fetch;
  /** Called on a 401 with the error (e.g. the SDK raises `tokenExpired` / `kickedOut`). */
  onUnauthorized?: (error: ApiError) => void;
}

export type QueryValue = string | number | boolean | undefined | null;

export class RestClient {
  readonly baseUrl: string;
  readonly #getToken: () => string | null;
  readonly #fetch: typeof fetch;
  readonly #onUnauthorized: ((error: ApiError) => void) | undefined;

  constructor(options: RestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#getToken = options.getToken;
    this.#fetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
    this.#onUnauthorized = options.onUnauthorized;
  }

  get<T = unknown>(path: string, query?: Record<string, QueryValue>): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }
  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  patch<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  /** Raw bytes as the body (file upload), with the query string; POST unless told (an avatar is PUT). */
  upload<T = unknown>(path: string, bytes: Blob | ArrayBuffer | Uint8Array, query: Record<string, QueryValue>, contentType?: string, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
    const type = contentType ?? (typeof Blob !== 'undefined' && bytes instanceof Blob && bytes.type ? bytes.type : 'application/octet-stream');
    return this.request<T>(method, withQuery(path, query), bytes, type);
  }

  /** GET returning the body as a Blob (file downloads). */
  async blob(path: string): Promise<Blob> {
    const response = await this.#send('GET', path);
    return response.blob();
  }

  async request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const response = await this.#send(method, path, body, contentType);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async #send(method: string, path: string, body?: unknown, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.#getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (contentType !== undefined) {
      headers['content-type'] = contentType;
      payload = body as BodyInit;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await this.#fetch(this.url(path), { method, headers, body: payload });
    } catch (err) {
      throw apiError('SDK_NETWORK', err instanceof Error ? err.message : 'network error', 0);
    }
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401) this.#onUnauthorized?.(error);
    throw error;
  }

  /** Absolute URL of a server path. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body?.error?.code) return apiError(body.error.code as ErrorCode, body.error.message ?? body.error.code, response.status);
  } catch {
    // not JSON: fall through
  }
  return apiError(response.status === 401 ? 'FD_AUTH_REQUIRED' : 'FD_INTERNAL', `HTTP ${response.status}`, response.status);
}

function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}
