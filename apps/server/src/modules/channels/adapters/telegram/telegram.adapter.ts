import { z } from 'zod';
import { constantTimeEqual } from '../../../../platform/crypto/index.ts';
import { headerOf, joinUrl, PayloadError, SignatureError, type ChannelAdapter, type InboundContent, type SendOutcome } from '../channel-adapter.ts';
import { jsonPost, parseJson } from '../meta/meta-webhook.ts';
import { multipartBody } from '../multipart.ts';

const File = z.object({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() });

const TgMessage = z.object({
  message_id: z.number(),
  date: z.number(),
  chat: z.object({ id: z.number(), type: z.string() }),
  from: z.object({ id: z.number(), first_name: z.string().optional(), last_name: z.string().optional(), username: z.string().optional() }).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(z.object({ file_id: z.string(), width: z.number(), height: z.number() })).optional(),
  document: File.optional(),
  audio: File.optional(),
  voice: File.optional(),
  video: File.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.object({ title: z.string(), address: z.string() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() }).optional(),
});

/** A Telegram Bot API update; only `message` concerns a conversation (edits, channel posts and the rest are ignored). */
const Update = z.object({ update_id: z.number(), message: TgMessage.optional() });

function contentOf(m: z.infer<typeof TgMessage>): InboundContent | null {
  const caption = m.caption ?? null;
  const file = (mediaKind: 'image' | 'file' | 'audio' | 'video', f: { file_id: string; file_name?: string | undefined; mime_type?: string | undefined }): InboundContent => ({
    kind: 'media',
    media: { kind: 'id', id: f.file_id },
    mediaKind,
    fileName: f.file_name ?? null,
    mimeType: f.mime_type ?? null,
    caption,
  });
  if (m.text !== undefined) return { kind: 'text', text: m.text };
  // NOTE: `photo` lists the sizes of one picture, smallest first: the largest is kept.
  if (m.photo?.length) return file('image', m.photo.at(-1)!);
  if (m.document) return file('file', m.document);
  if (m.audio) return file('audio', m.audio);
  if (m.voice) return file('audio', m.voice);
  if (m.video) return file('video', m.video);
  if (m.location) return { kind: 'location', latitude: m.location.latitude, longitude: m.location.longitude, name: m.venue?.title ?? null, address: m.venue?.address ?? null };
  if (m.contact) return { kind: 'text', text: [m.contact.first_name, m.contact.last_name, m.contact.phone_number].filter(Boolean).join(' ') };
  return null;
}

/** The Bot API's methods live under `/bot<token>/`, its files under `/file/bot<token>/`. */
const method = (apiBaseUrl: string, token: string, name: string) => joinUrl(apiBaseUrl, `bot${token}/${name}`);

/** Telegram Bot API: `sendMessage`, `sendPhoto`, `sendDocument`, `sendLocation`, `getFile` + the file download. No window. */
export const telegramAdapter: ChannelAdapter = {
  provider: 'telegram',
  credentialNames: ['botToken', 'secretToken'],
  defaultApiBaseUrl: 'https://api.telegram.org',

  receive(rawBody, headers, connection) {
    const given = headerOf(headers, 'x-telegram-bot-api-secret-token');
    const expected = connection.credentials.secretToken ?? '';
    if (!given || !expected || !constantTimeEqual(given, expected)) throw new SignatureError('missing or wrong X-Telegram-Bot-Api-Secret-Token');
    const parsed = Update.safeParse(parseJson(rawBody));
    if (!parsed.success) throw new PayloadError('not a Telegram update');
    const m = parsed.data.message;
    // Private chats only: a group's thread is not one customer.
    if (!m || m.chat.type !== 'private') return [];
    const content = contentOf(m);
    if (!content) return [];
    const userName = m.from ? [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || m.from.username || null : null;
    // NOTE: message ids are per chat: the chat makes them unique in the channel.
    return [{ type: 'message', providerMessageId: `${m.chat.id}:${m.message_id}`, externalId: String(m.chat.id), userName, atMs: m.date * 1000, content }];
  },

  send(message, connection) {
    const token = connection.credentials.botToken ?? '';
    const chat_id = message.to;
    if (message.kind === 'text') return jsonPost(method(connection.apiBaseUrl, token, 'sendMessage'), {}, { chat_id, text: message.text });
    if (message.kind === 'media') {
      const [name, field] = message.mediaKind === 'image' ? ['sendPhoto', 'photo'] : ['sendDocument', 'document'];
      return jsonPost(method(connection.apiBaseUrl, token, name), {}, { chat_id, [field]: message.url, ...(message.caption ? { caption: message.caption } : {}) });
    }
    if (message.kind === 'location') return jsonPost(method(connection.apiBaseUrl, token, 'sendLocation'), {}, { chat_id, latitude: message.latitude, longitude: message.longitude });
    return jsonPost(method(connection.apiBaseUrl, token, 'sendMessage'), {}, { chat_id, text: [message.name, ...message.parameters].join(' ') });
  },

  /** sendPhoto / sendDocument with the file itself (multipart/form-data: chat_id, caption, photo or document). */
  sendWithFile(message, file, connection) {
    const [name, field] = message.mediaKind === 'image' ? ['sendPhoto', 'photo'] : ['sendDocument', 'document'];
    const { contentType, body } = multipartBody([{ name: 'chat_id', value: message.to }, ...(message.caption ? [{ name: 'caption', value: message.caption }] : []), { name: field, file }]);
    return { method: 'POST', url: method(connection.apiBaseUrl, connection.credentials.botToken ?? '', name), headers: { 'content-type': contentType }, body };
  },

  /** `{ ok: true, result: { message_id } }`, or `{ ok: false, error_code, description, parameters: { retry_after } }`. */
  sendOutcome(status, body): SendOutcome {
    let parsed: { ok?: boolean; result?: { message_id?: number; chat?: { id?: number } }; error_code?: number; description?: string; parameters?: { retry_after?: number } } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      // judged by the status below
    }
    if (parsed.ok && parsed.result?.message_id !== undefined) return { ok: true, providerMessageId: `${parsed.result.chat?.id ?? ''}:${parsed.result.message_id}` };
    const code = String(parsed.error_code ?? status);
    const retryAfter = parsed.parameters?.retry_after;
    return { ok: false, retryable: status === 429 || status >= 500, code, reason: (parsed.description ?? `HTTP ${status}`).slice(0, 500), retryAfterMs: retryAfter === undefined ? null : retryAfter * 1000 };
  },

  windowOf: () => ({ policy: 'none', endsAt: null, humanAgentTagEndsAt: null }),

  mediaRequest(media, connection) {
    if (media.kind !== 'id') throw new PayloadError('Telegram media come as file ids');
    return jsonPost(method(connection.apiBaseUrl, connection.credentials.botToken ?? '', 'getFile'), {}, { file_id: media.id });
  },

  /** `getFile` answers `{ ok, result: { file_path } }`; the bytes are at `/file/bot<token>/<file_path>`. */
  mediaNext(_media, answer, connection) {
    const info = z.object({ ok: z.literal(true), result: z.object({ file_path: z.string() }) }).safeParse(JSON.parse(answer.body.toString('utf8') || 'null'));
    if (!info.success) throw new PayloadError('getFile did not answer a file path');
    const token = connection.credentials.botToken ?? '';
    return { done: false, request: { method: 'GET', url: joinUrl(connection.apiBaseUrl, `file/bot${token}/${info.data.result.file_path}`), headers: {} }, mimeType: null, fileName: info.data.result.file_path.split('/').at(-1) ?? null };
  },
};
