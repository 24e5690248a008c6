import { z } from 'zod';
import { constantTimeEqual, hmacSha256Hex } from '../../../../platform/crypto/index.ts';
import { DAY_MS, headerOf, joinUrl, PayloadError, SignatureError, type ChannelAdapter, type InboundContent, type InboundEvent, type SendOutcome } from '../channel-adapter.ts';
import { jsonPost } from '../meta/meta-webhook.ts';

const Callback = z.object({
  event: z.string(),
  timestamp: z.number(),
  message_token: z.string().optional(),
  user_id: z.string().optional(),
  desc: z.string().optional(),
  sender: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  message: z
    .object({
      type: z.string(),
      text: z.string().optional(),
      media: z.string().optional(),
      file_name: z.string().optional(),
      location: z.object({ lat: z.number(), lon: z.number() }).optional(),
      contact: z.object({ name: z.string().optional(), phone_number: z.string().optional() }).optional(),
    })
    .optional(),
});

/**
 * NOTE: Viber's message tokens are 64-bit integers, beyond what a JS number holds exactly; they
 * are read as the digits they are written with.
 */
function parseCallback(rawBody: Buffer): z.infer<typeof Callback> {
  const text = rawBody.toString('utf8').replace(/("message_token"\s*:\s*)(-?\d+)/g, '$1"$2"');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PayloadError('the body is not JSON');
  }
  const parsed = Callback.safeParse(json);
  if (!parsed.success) throw new PayloadError('not a Viber callback');
  return parsed.data;
}

function contentOf(m: NonNullable<z.infer<typeof Callback>['message']>): InboundContent | null {
  const media = (mediaKind: 'image' | 'file' | 'video'): InboundContent | null =>
    m.media ? { kind: 'media', media: { kind: 'url', url: m.media }, mediaKind, fileName: m.file_name ?? null, mimeType: null, caption: m.text || null } : null;
  switch (m.type) {
    case 'text':
      return m.text === undefined ? null : { kind: 'text', text: m.text };
    case 'picture':
      return media('image');
    case 'file':
      return media('file');
    case 'video':
      return media('video');
    case 'location':
      return m.location ? { kind: 'location', latitude: m.location.lat, longitude: m.location.lon, name: null, address: null } : null;
    case 'contact':
      return { kind: 'text', text: [m.contact?.name, m.contact?.phone_number].filter(Boolean).join(' ') || '(contact)' };
    default:
      return null;
  }
}

/** Viber's `status` codes that mean "try again later": 12 tooManyRequests. Everything else non-zero is a refusal. */
const VIBER_RETRYABLE = new Set(['12']);

/** Viber REST Bot API: `POST /send_message` with `X-Viber-Auth-Token`; callbacks signed with `X-Viber-Content-Signature`. */
export const viberAdapter: ChannelAdapter = {
  provider: 'viber',
  credentialNames: ['authToken'],
  defaultApiBaseUrl: 'https://chatapi.viber.com/pa',

  receive(rawBody, headers, connection) {
    const given = headerOf(headers, 'x-viber-content-signature');
    const token = connection.credentials.authToken ?? '';
    if (!given || !token || !constantTimeEqual(given.toLowerCase(), hmacSha256Hex(token, rawBody))) throw new SignatureError('missing or wrong X-Viber-Content-Signature');
    const cb = parseCallback(rawBody);
    const events: InboundEvent[] = [];
    if (cb.event === 'message' && cb.sender && cb.message && cb.message_token) {
      const content = contentOf(cb.message);
      if (content) events.push({ type: 'message', providerMessageId: cb.message_token, externalId: cb.sender.id, userName: cb.sender.name ?? null, atMs: cb.timestamp, content });
    } else if ((cb.event === 'delivered' || cb.event === 'seen' || cb.event === 'failed') && cb.message_token) {
      const status = cb.event === 'seen' ? 'read' : cb.event;
      events.push({ type: 'status', providerMessageId: cb.message_token, status, reason: cb.event === 'failed' ? (cb.desc ?? 'failed') : null, atMs: cb.timestamp });
    }
    return events;
  },

  send(message, connection) {
    const base = { receiver: message.to, min_api_version: 1, sender: { name: (connection.credentials.senderName || connection.accountId).slice(0, 28) } };
    const body =
      message.kind === 'text'
        ? { ...base, type: 'text', text: message.text }
        : message.kind === 'media'
          ? message.mediaKind === 'image'
            ? { ...base, type: 'picture', text: message.caption ?? '', media: message.url }
            : { ...base, type: 'file', media: message.url, file_name: message.fileName }
          : message.kind === 'location'
            ? { ...base, type: 'location', location: { lat: message.latitude, lon: message.longitude } }
            : { ...base, type: 'text', text: [message.name, ...message.parameters].join(' ') };
    return jsonPost(joinUrl(connection.apiBaseUrl, 'send_message'), { 'x-viber-auth-token': connection.credentials.authToken ?? '' }, body);
  },

  /** `{ status: 0, message_token }` on success; Viber answers HTTP 200 with a non-zero `status` on a refusal. */
  sendOutcome(status, body): SendOutcome {
    let parsed: { status?: number; status_message?: string; message_token?: string } = {};
    try {
      parsed = JSON.parse(body.replace(/("message_token"\s*:\s*)(-?\d+)/g, '$1"$2"')) as typeof parsed;
    } catch {
      // judged by the status below
    }
    if (status === 200 && parsed.status === 0 && parsed.message_token) return { ok: true, providerMessageId: parsed.message_token };
    const code = parsed.status === undefined ? `http ${status}` : String(parsed.status);
    return { ok: false, retryable: status === 429 || status >= 500 || VIBER_RETRYABLE.has(code), code, reason: (parsed.status_message ?? `HTTP ${status}`).slice(0, 500), retryAfterMs: null };
  },

  /** NOTE: a Viber bot answers within the session the user's message opened; we hold it to 24 h. */
  windowOf: ({ lastInboundAt }) => ({ policy: 'viber-session', endsAt: lastInboundAt + DAY_MS, humanAgentTagEndsAt: null }),

  mediaRequest: (media) => {
    if (media.kind !== 'url') throw new PayloadError('Viber media come as URLs');
    return { method: 'GET', url: media.url, headers: {} };
  },
  mediaNext: () => ({ done: true }),
};
