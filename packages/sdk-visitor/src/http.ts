import type { Logger } from '@frontdesk/sdk-core';
import { VisitorSdkError, type UploadProgress } from './types.ts';

export interface HttpDeps {
  baseUrl: string;
  fetch: typeof fetch;
  locale: string | undefined;
  log: Logger;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token?: string | undefined;
  body?: unknown;
}

const UPLOAD_CHUNK_BYTES = 64 * 1024;

/** REST calls: JSON in and out, `{ error: { code, message } }` turned into a VisitorSdkError. */
export class HttpClient {
  constructor(private readonly deps: HttpDeps) {}

  async request<T>(options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (this.deps.locale) headers['accept-language'] = this.deps.locale;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.deps.fetch(this.deps.baseUrl + options.path, {
        method: options.method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch (err) {
      throw new VisitorSdkError('FD_SDK_NETWORK', `${options.method} ${options.path} failed: ${String(err)}`);
    }
    return readJson<T>(response, `${options.method} ${options.path}`);
  }

  /** Downloads a file of this server (GET with the token) as a Blob. */
  async blob(path: string, token: string): Promise<Blob> {
    let response: Response;
    try {
      response = await this.deps.fetch(this.deps.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
    } catch (err) {
      throw new VisitorSdkError('FD_SDK_NETWORK', `GET ${path} failed: ${String(err)}`);
    }
    if (!response.ok) return readJson<never>(response, `GET ${path}`);
    return response.blob();
  }

  /**
   * Uploads raw bytes (the server checks the type from them). Browsers: XMLHttpRequest, whose
   * upload events give real progress. Elsewhere (Node, workers): fetch with a streamed body
   * that reports each chunk as it is handed to the network.
   */
  upload<T>(path: string, token: string, file: Blob, onProgress?: (progress: UploadProgress) => void): Promise<T> {
    const url = this.deps.baseUrl + path;
    const contentType = file.type || 'application/octet-stream';
    const report = (loadedBytes: number) => {
      try {
        onProgress?.({ loadedBytes, totalBytes: file.size });
      } catch (err) {
        this.deps.log.warn('upload progress handler threw', { err: String(err) });
      }
    };
    const Xhr = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
    if (Xhr) return this.uploadWithXhr<T>(Xhr, url, token, contentType, file, report);
    return this.uploadWithFetch<T>(url, token, contentType, file, report);
  }

  private uploadWithXhr<T>(Xhr: typeof XMLHttpRequest, url: string, token: string, contentType: string, file: Blob, report: (loadedBytes: number) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new Xhr();
      xhr.open('POST', url);
      xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('content-type', contentType);
      if (this.deps.locale) xhr.setRequestHeader('accept-language', this.deps.locale);
      xhr.upload.onprogress = (event) => report(event.loaded);
      xhr.onload = () => {
        const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': 'application/json' } });
        readJson<T>(response, 'upload').then(resolve, reject);
      };
      // A server refusing early (too large) may reset the connection before the browser reads the answer.
      xhr.onerror = () => reject(new VisitorSdkError('FD_SDK_NETWORK', 'the upload was interrupted (the file may be too large, or the network is down)'));
      xhr.onabort = () => reject(new VisitorSdkError('FD_SDK_NETWORK', 'the upload was aborted'));
      report(0);
      xhr.send(file);
    });
  }

  private async uploadWithFetch<T>(url: string, token: string, contentType: string, file: Blob, report: (loadedBytes: number) => void): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': String(file.size) };
    if (this.deps.locale) headers['accept-language'] = this.deps.locale;
    let offset = 0;
    report(0);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= file.size) return controller.close();
        const chunk = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
        offset += chunk.byteLength;
        controller.enqueue(chunk);
        report(offset);
      },
    });
    let response: Response;
    try {
      response = await this.deps.fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    } catch (err) {
      throw new VisitorSdkError('FD_SDK_NETWORK', `the upload failed: ${String(err)}`);
    }
    return readJson<T>(response, 'upload');
  }
}

async function readJson<T>(response: Response, what: string): Promise<T> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    throw new VisitorSdkError(error.code, typeof error.message === 'string' ? error.message : error.code, response.status);
  }
  if (response.status === 413) throw new VisitorSdkError('FD_FILE_TOO_LARGE', 'the file is larger than the server accepts', 413);
  throw new VisitorSdkError('FD_SDK_NETWORK', `${what} failed with HTTP ${response.status}`, response.status);
}
