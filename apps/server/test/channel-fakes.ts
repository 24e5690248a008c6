import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local fake messaging providers on 127.0.0.1, answering the documented API shapes: Graph API
 * (WhatsApp `POST /{phone-number-id}/messages`, `GET /{media-id}` + the media URL, `GET
 * /{waba-id}/message_templates`; Messenger `POST /{page-id}/messages`), Telegram Bot API
 * (`/bot<token>/sendMessage|sendPhoto|sendDocument|sendLocation|getFile`, `/file/bot<token>/<path>`)
 * and Viber (`POST /send_message`). Every request is recorded; a test scripts refusals with `failNext`.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class FakeProviders {
  readonly requests: RecordedRequest[] = [];
  /** Answers given, in order, to the next sends (instead of a success). */
  readonly scripted: ScriptedAnswer[] = [];
  /** Media the fakes serve: id (WhatsApp media id, Telegram file id) → bytes and type. */
  readonly media = new Map<string, { bytes: Buffer; mimeType: string }>();
  templates: unknown[] = [];
  private server!: http.Server;
  private n = 0;
  url = '';

  static async start(): Promise<FakeProviders> {
    const fake = new FakeProviders();
    fake.server = http.createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  failNext(...answers: ScriptedAnswer[]): void {
    this.scripted.push(...answers);
  }

  sends(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/messages$|\/send(Message|Photo|Document|Location)$|\/send_message$/.test(r.path));
  }

  /** Uploads received (WhatsApp media, Messenger attachments). */
  uploads(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/media$|\/message_attachments$/.test(r.path));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    let body: any = raw;
    if (String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      body = await multipartFields(req.headers['content-type']!, rawBytes);
    } else {
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // kept raw
      }
    }
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    // Uploads: WhatsApp POST /{phone-number-id}/media → { id }; Messenger POST /me/message_attachments → { attachment_id }.
    if (req.method === 'POST' && /\/media$|\/message_attachments$/.test(path)) {
      const scripted = this.scripted.shift();
      if (scripted) return json(scripted.status, scripted.body, scripted.headers);
      const id = ++this.n;
      return path.endsWith('/media') ? json(200, { id: `media.up${id}` }) : json(200, { attachment_id: `att.up${id}` });
    }
    const isSend = req.method === 'POST' && /\/messages$|\/send(Message|Photo|Document|Location)$|\/send_message$/.test(path);
    if (isSend) {
      const scripted = this.scripted.shift();
      if (scripted) return json(scripted.status, scripted.body, scripted.headers);
      const id = ++this.n;
      if (path.endsWith('/send_message')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"status":0,"status_message":"ok","message_token":${5_491_000_000_000_000_000n + BigInt(id)},"chat_hostname":"fake"}`);
      if (/\/bot[^/]+\/send/.test(path)) return json(200, { ok: true, result: { message_id: id, chat: { id: Number(body?.chat_id) }, date: 0 } });
      if (body?.messaging_product === 'whatsapp') return json(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.fake${id}` }] });
      return json(200, { recipient_id: body?.recipient?.id, message_id: `m_fake${id}` });
    }
    // Telegram getFile, then the file.
    const getFile = /\/bot[^/]+\/getFile$/.exec(path);
    if (getFile) {
      const media = this.media.get(body?.file_id);
      return media ? json(200, { ok: true, result: { file_id: body.file_id, file_unique_id: 'u', file_size: media.bytes.length, file_path: `photos/${body.file_id}.jpg` } }) : json(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
    }
    const tgFile = /\/file\/bot[^/]+\/photos\/(.+)\.jpg$/.exec(path);
    if (tgFile) return this.bytes(res, tgFile[1]!);
    if (path.startsWith('/media-bytes/')) {
      if (req.headers.authorization !== 'Bearer wa-token') return json(401, { error: { message: 'bad token', code: 190 } });
      return this.bytes(res, decodeURIComponent(path.slice('/media-bytes/'.length)));
    }
    if (path.startsWith('/cdn/')) return this.bytes(res, decodeURIComponent(path.slice('/cdn/'.length)));
    if (path.endsWith('/message_templates')) return json(200, { data: this.templates, paging: { cursors: { before: 'a', after: 'b' } } });
    // WhatsApp GET /{media-id}
    const mediaId = decodeURIComponent(path.split('/').at(-1) ?? '');
    const media = req.method === 'GET' ? this.media.get(mediaId) : undefined;
    if (media) return json(200, { messaging_product: 'whatsapp', url: `${this.url}/media-bytes/${encodeURIComponent(mediaId)}`, mime_type: media.mimeType, sha256: 'x', file_size: String(media.bytes.length), id: mediaId });
    json(404, { error: { message: `no route ${req.method} ${path}`, code: 803 } });
  }

  private bytes(res: http.ServerResponse, id: string): void {
    const media = this.media.get(id);
    if (!media) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': media.mimeType, 'content-length': String(media.bytes.length) });
    res.end(media.bytes);
  }
}

/** A multipart/form-data body as the fakes record it: text fields as strings, files as { fileName, mimeType, bytes }. */
async function multipartFields(contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
  const form = await new Response(Uint8Array.from(raw), { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    fields[name] = typeof value === 'string' ? value : { fileName: value.name, mimeType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return fields;
}

/** The smallest valid PNG (1×1), for image messages. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const hmacHex = (key: string, body: string) => createHmac('sha256', key).update(body).digest('hex');

/** A WhatsApp Cloud API webhook body of one inbound message (text, image or location). */
export function whatsappInbound(phoneNumberId: string, from: string, id: string, message: Record<string, unknown>, name = 'Ada'): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, id, timestamp: '1733300000', ...message }],
            },
          },
        ],
      },
    ],
  });
}

export function whatsappStatus(phoneNumberId: string, id: string, status: string, errors?: unknown[]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: phoneNumberId }, statuses: [{ id, status, timestamp: '1733300001', recipient_id: 'x', ...(errors ? { errors } : {}) }] } }] }],
  });
}

export const metaHeaders = (appSecret: string, body: string) => ({ 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmacHex(appSecret, body)}` });
export const viberHeaders = (authToken: string, body: string) => ({ 'content-type': 'application/json', 'x-viber-content-signature': hmacHex(authToken, body) });
export const telegramHeaders = (secret: string) => ({ 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret });

/** POSTs a raw webhook body with its headers. */
export async function postWebhook(base: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
