import { z } from 'zod';
import { DAY_MS, joinUrl, PayloadError, type ChannelAdapter, type InboundContent, type InboundEvent } from '../channel-adapter.ts';
import { bearer, jsonPost, metaHandshake, metaSendOutcome, metaUploadOutcome, parseJson, verifyMetaSignature } from '../meta/meta-webhook.ts';
import { multipartBody } from '../multipart.ts';

const Attachment = z.object({
  type: z.string(),
  payload: z.object({ url: z.string().optional(), title: z.string().optional(), coordinates: z.object({ lat: z.number(), long: z.number() }).optional() }).passthrough().nullable().optional(),
});

const Messaging = z.object({
  sender: z.object({ id: z.string() }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number(),
  message: z.object({ mid: z.string(), text: z.string().optional(), is_echo: z.boolean().optional(), attachments: z.array(Attachment).optional() }).passthrough().optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});

/** The Messenger Platform webhook: `{ object: 'page', entry: [{ id, messaging: [...] }] }`. */
const MessengerWebhook = z.object({ object: z.string(), entry: z.array(z.object({ id: z.string(), messaging: z.array(Messaging).optional() })) });

function contentsOf(message: NonNullable<z.infer<typeof Messaging>['message']>): InboundContent[] {
  const out: InboundContent[] = [];
  if (message.text) out.push({ kind: 'text', text: message.text });
  for (const a of message.attachments ?? []) {
    const coordinates = a.payload?.coordinates;
    if (a.type === 'location' && coordinates) out.push({ kind: 'location', latitude: coordinates.lat, longitude: coordinates.long, name: a.payload?.title ?? null, address: null });
    else if (a.payload?.url && ['image', 'file', 'audio', 'video'].includes(a.type)) {
      out.push({ kind: 'media', media: { kind: 'url', url: a.payload.url }, mediaKind: a.type as 'image' | 'file' | 'audio' | 'video', fileName: null, mimeType: null, caption: null });
    }
  }
  return out;
}

/** Messenger (Graph API Send API): `POST /{page-id}/messages`; the 24 h window, and the HUMAN_AGENT tag up to 7 days. */
export const messengerAdapter: ChannelAdapter = {
  provider: 'messenger',
  credentialNames: ['pageAccessToken', 'appSecret', 'verifyToken'],
  defaultApiBaseUrl: 'https://graph.facebook.com/v21.0',

  receive(rawBody, headers, connection) {
    verifyMetaSignature(rawBody, headers, connection.credentials.appSecret ?? '');
    const parsed = MessengerWebhook.safeParse(parseJson(rawBody));
    if (!parsed.success || parsed.data.object !== 'page') throw new PayloadError('not a Messenger page webhook');
    const events: InboundEvent[] = [];
    for (const entry of parsed.data.entry) {
      if (entry.id !== connection.accountId) continue;
      for (const m of entry.messaging ?? []) {
        // NOTE: an echo is our own page's message coming back: never stored again.
        if (m.message && !m.message.is_echo) {
          const contents = contentsOf(m.message);
          // Several attachments in one message: one of ours each, told apart by their place.
          contents.forEach((content, i) =>
            events.push({ type: 'message', providerMessageId: i === 0 ? m.message!.mid : `${m.message!.mid}#${i}`, externalId: m.sender.id, userName: null, atMs: m.timestamp, content }),
          );
        }
        if (m.delivery) {
          for (const mid of m.delivery.mids ?? []) events.push({ type: 'status', providerMessageId: mid, status: 'delivered', reason: null, atMs: m.timestamp });
          events.push({ type: 'watermark', externalId: m.sender.id, status: 'delivered', upToMs: m.delivery.watermark });
        }
        if (m.read) events.push({ type: 'watermark', externalId: m.sender.id, status: 'read', upToMs: m.read.watermark });
      }
    }
    return events;
  },

  verifyHandshake: (query, connection) => metaHandshake(query, connection.credentials.verifyToken ?? ''),

  send(message, connection) {
    const tagged = 'tag' in message && message.tag ? { messaging_type: 'MESSAGE_TAG', tag: message.tag } : { messaging_type: 'RESPONSE' };
    const body =
      message.kind === 'text'
        ? { message: { text: message.text } }
        : message.kind === 'media'
          ? { message: { attachment: { type: message.mediaKind === 'image' ? 'image' : 'file', payload: message.mediaId ? { attachment_id: message.mediaId } : { url: message.url, is_reusable: false } } } }
          : message.kind === 'location'
            ? { message: { text: [message.name, message.address, `${message.latitude}, ${message.longitude}`].filter(Boolean).join('\n') } }
            : { message: { text: [message.name, ...message.parameters].join(' ') } };
    return jsonPost(joinUrl(connection.apiBaseUrl, `${encodeURIComponent(connection.accountId)}/messages`), bearer(connection.credentials.pageAccessToken ?? ''), {
      recipient: { id: message.to },
      ...tagged,
      ...body,
    });
  },

  /** The Attachment Upload API: `POST /me/message_attachments` (multipart: message, filedata) answers `{ attachment_id }`. */
  uploadRequest(message, file, connection) {
    const type = message.mediaKind === 'image' ? 'image' : 'file';
    const { contentType, body } = multipartBody([
      { name: 'message', value: JSON.stringify({ attachment: { type, payload: { is_reusable: true } } }) },
      { name: 'filedata', file },
    ]);
    return { method: 'POST', url: joinUrl(connection.apiBaseUrl, 'me/message_attachments'), headers: { ...bearer(connection.credentials.pageAccessToken ?? ''), 'content-type': contentType }, body };
  },
  uploadOutcome: metaUploadOutcome,

  sendOutcome: metaSendOutcome,

  windowOf: ({ lastInboundAt }) => ({ policy: 'meta-24h', endsAt: lastInboundAt + DAY_MS, humanAgentTagEndsAt: lastInboundAt + 7 * DAY_MS }),

  mediaRequest: (media) => {
    if (media.kind !== 'url') throw new PayloadError('Messenger media come as URLs');
    return { method: 'GET', url: media.url, headers: {} };
  },
  mediaNext: () => ({ done: true }),
};
