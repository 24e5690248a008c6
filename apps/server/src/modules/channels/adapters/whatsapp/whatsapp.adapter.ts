import { z } from 'zod';
import { DAY_MS, joinUrl, PayloadError, type ChannelAdapter, type InboundContent, type InboundEvent, type OutboundMessage, type ProviderTemplate } from '../channel-adapter.ts';
import { bearer, jsonPost, metaHandshake, metaSendOutcome, metaUploadOutcome, parseJson, verifyMetaSignature } from '../meta/meta-webhook.ts';
import { multipartBody } from '../multipart.ts';

/** Media objects of WhatsApp messages: `{ id, mime_type, sha256, caption?, filename? }`. */
const Media = z.object({ id: z.string(), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });

const WaMessage = z.object({
  from: z.string(),
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: Media.optional(),
  document: Media.optional(),
  audio: Media.optional(),
  video: Media.optional(),
  sticker: Media.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  contacts: z.array(z.object({ name: z.object({ formatted_name: z.string().optional() }).passthrough().optional(), phones: z.array(z.object({ phone: z.string().optional() }).passthrough()).optional() }).passthrough()).optional(),
  button: z.object({ text: z.string() }).passthrough().optional(),
  interactive: z.object({ button_reply: z.object({ title: z.string() }).passthrough().optional(), list_reply: z.object({ title: z.string() }).passthrough().optional() }).passthrough().optional(),
});

const WaStatus = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.string(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).optional() })).optional(),
});

/** The webhook of WhatsApp Cloud API: `entry[].changes[].value` with `messages`, `contacts` and `statuses`. */
const WaWebhook = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }).passthrough().optional(),
            contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
            messages: z.array(WaMessage).optional(),
            statuses: z.array(WaStatus).optional(),
          }),
        }),
      ),
    }),
  ),
});

type WaMessage = z.infer<typeof WaMessage>;

function contentOf(m: WaMessage): InboundContent | null {
  const media = (mediaKind: 'image' | 'file' | 'audio' | 'video', o: z.infer<typeof Media>): InboundContent => ({
    kind: 'media',
    media: { kind: 'id', id: o.id },
    mediaKind,
    fileName: o.filename ?? null,
    mimeType: o.mime_type ?? null,
    caption: o.caption ?? null,
  });
  if (m.text) return { kind: 'text', text: m.text.body };
  if (m.image) return media('image', m.image);
  if (m.sticker) return media('image', m.sticker);
  if (m.document) return media('file', m.document);
  if (m.audio) return media('audio', m.audio);
  if (m.video) return media('video', m.video);
  if (m.location) return { kind: 'location', latitude: m.location.latitude, longitude: m.location.longitude, name: m.location.name ?? null, address: m.location.address ?? null };
  if (m.contacts) {
    const lines = m.contacts.map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '));
    return { kind: 'text', text: lines.join('\n') || '(contact)' };
  }
  if (m.button) return { kind: 'text', text: m.button.text };
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  if (reply) return { kind: 'text', text: reply.title };
  return null;
}

const STATUS: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/** WhatsApp Cloud API (Graph API): `POST /{phone-number-id}/messages`, `GET /{media-id}`, `GET /{waba-id}/message_templates`. */
export const whatsappAdapter: ChannelAdapter = {
  provider: 'whatsapp',
  credentialNames: ['accessToken', 'appSecret', 'verifyToken', 'businessAccountId'],
  defaultApiBaseUrl: 'https://graph.facebook.com/v21.0',

  receive(rawBody, headers, connection) {
    verifyMetaSignature(rawBody, headers, connection.credentials.appSecret ?? '');
    const parsed = WaWebhook.safeParse(parseJson(rawBody));
    if (!parsed.success || parsed.data.object !== 'whatsapp_business_account') throw new PayloadError('not a WhatsApp Business Account webhook');
    const events: InboundEvent[] = [];
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        const { value } = change;
        // NOTE: one app secret signs the webhooks of every number of the app: a change for another number is not ours.
        if (change.field !== 'messages' || (value.metadata && value.metadata.phone_number_id !== connection.accountId)) continue;
        const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name ?? null]));
        for (const m of value.messages ?? []) {
          const content = contentOf(m);
          if (!content) continue;
          events.push({ type: 'message', providerMessageId: m.id, externalId: m.from, userName: names.get(m.from) ?? null, atMs: Number(m.timestamp) * 1000, content });
        }
        for (const s of value.statuses ?? []) {
          const status = STATUS[s.status];
          if (!status) continue;
          const error = s.errors?.[0];
          const reason = error ? [error.code !== undefined ? `(#${error.code})` : null, error.title ?? error.message, error.error_data?.details].filter(Boolean).join(' ') : null;
          events.push({ type: 'status', providerMessageId: s.id, status, reason, atMs: Number(s.timestamp) * 1000 });
        }
      }
    }
    return events;
  },

  verifyHandshake: (query, connection) => metaHandshake(query, connection.credentials.verifyToken ?? ''),

  send(message: OutboundMessage, connection) {
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to };
    const body =
      message.kind === 'text'
        ? { ...base, type: 'text', text: { body: message.text, preview_url: false } }
        : message.kind === 'media'
          ? message.mediaKind === 'image'
            ? { ...base, type: 'image', image: { ...(message.mediaId ? { id: message.mediaId } : { link: message.url }), ...(message.caption ? { caption: message.caption } : {}) } }
            : { ...base, type: 'document', document: { ...(message.mediaId ? { id: message.mediaId } : { link: message.url }), filename: message.fileName, ...(message.caption ? { caption: message.caption } : {}) } }
          : message.kind === 'location'
            ? { ...base, type: 'location', location: { latitude: message.latitude, longitude: message.longitude, ...(message.name ? { name: message.name } : {}), ...(message.address ? { address: message.address } : {}) } }
            : {
                ...base,
                type: 'template',
                template: {
                  name: message.name,
                  language: { code: message.language },
                  components: message.parameters.length ? [{ type: 'body', parameters: message.parameters.map((text) => ({ type: 'text', text })) }] : [],
                },
              };
    return jsonPost(joinUrl(connection.apiBaseUrl, `${encodeURIComponent(connection.accountId)}/messages`), bearer(connection.credentials.accessToken ?? ''), body);
  },

  /** `POST /{phone-number-id}/media` (multipart: messaging_product, type, file) answers `{ id }`; the send then names the id. */
  uploadRequest(_message, file, connection) {
    const { contentType, body } = multipartBody([
      { name: 'messaging_product', value: 'whatsapp' },
      { name: 'type', value: file.mimeType },
      { name: 'file', file },
    ]);
    return { method: 'POST', url: joinUrl(connection.apiBaseUrl, `${encodeURIComponent(connection.accountId)}/media`), headers: { ...bearer(connection.credentials.accessToken ?? ''), 'content-type': contentType }, body };
  },
  uploadOutcome: metaUploadOutcome,

  sendOutcome: metaSendOutcome,

  /** NOTE: the 24 h customer-service window opens (again) with each message of the user. */
  windowOf: ({ lastInboundAt }) => ({ policy: 'meta-24h', endsAt: lastInboundAt + DAY_MS, humanAgentTagEndsAt: null }),

  mediaRequest(media, connection) {
    const url = media.kind === 'id' ? joinUrl(connection.apiBaseUrl, encodeURIComponent(media.id)) : media.url;
    return { method: 'GET', url, headers: bearer(connection.credentials.accessToken ?? '') };
  },

  /** `GET /{media-id}` answers `{ url, mime_type }`; the bytes are at that URL, with the same token. */
  mediaNext(media, answer, connection) {
    if (media.kind === 'url') return { done: true };
    const info = z.object({ url: z.string().url(), mime_type: z.string().optional() }).safeParse(safeJson(answer.body));
    if (!info.success) throw new PayloadError('the media answer has no url');
    return { done: false, request: { method: 'GET', url: info.data.url, headers: bearer(connection.credentials.accessToken ?? '') }, mimeType: info.data.mime_type ?? null, fileName: null };
  },

  templatesRequest: (connection) => ({
    method: 'GET',
    url: joinUrl(connection.apiBaseUrl, `${encodeURIComponent(connection.credentials.businessAccountId ?? '')}/message_templates?limit=250`),
    headers: bearer(connection.credentials.accessToken ?? ''),
  }),

  parseTemplates(body) {
    const Templates = z.object({
      data: z.array(z.object({ name: z.string(), language: z.string(), status: z.string(), category: z.string().default(''), components: z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()).default([]) })),
    });
    const parsed = Templates.safeParse(safeJson(Buffer.from(body)));
    if (!parsed.success) throw new PayloadError('the template list is not in the documented shape');
    return parsed.data.data.map((t): ProviderTemplate => {
      const text = t.components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
      const parameterCount = new Set([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
      return { name: t.name, language: t.language, status: t.status, category: t.category, body: text, parameterCount };
    });
  },
};

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
