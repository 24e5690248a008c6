import { createHmac } from 'node:crypto';
import type { Message } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { advancesDelivery } from '../deliveries.ts';
import { nextSendDelayMs, outboundOf, pairPace, windowVerdict } from '../outgoing-rules.ts';
import { ADAPTERS } from './adapters.ts';
import { multipartBody } from './multipart.ts';
import { DAY_MS, PayloadError, SignatureError, type ConnectionView, type Provider } from './channel-adapter.ts';

const hmacHex = (key: string, body: string) => createHmac('sha256', key).update(body).digest('hex');
const connection = (provider: Provider, accountId: string, credentials: Record<string, string>): ConnectionView => ({ channelId: 'chan_1', appId: 'app', provider, accountId, apiBaseUrl: 'http://127.0.0.1:9/api', credentials });
const receive = (provider: Provider, conn: ConnectionView, body: string, headers: Record<string, string>) => ADAPTERS[provider].receive(Buffer.from(body), headers, conn);

describe('WhatsApp Cloud API adapter', () => {
  const conn = connection('whatsapp', 'PN1', { accessToken: 'tok', appSecret: 'sec', verifyToken: 'vt', businessAccountId: 'WABA' });
  const webhook = (value: object) => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'PN1' }, ...value } }] }] });
  const signed = (body: string, secret = 'sec') => ({ 'x-hub-signature-256': `sha256=${hmacHex(secret, body)}` });

  it('verifies X-Hub-Signature-256 over the raw body before reading it', () => {
    const body = webhook({ messages: [] });
    expect(() => receive('whatsapp', conn, body, {})).toThrow(SignatureError);
    expect(() => receive('whatsapp', conn, body, signed(body, 'other'))).toThrow(SignatureError);
    expect(() => receive('whatsapp', conn, `${body} `, signed(body))).toThrow(SignatureError);
    expect(() => receive('whatsapp', conn, '{"object":"page","entry":[]}', signed('{"object":"page","entry":[]}'))).toThrow(PayloadError);
    expect(receive('whatsapp', conn, body, signed(body))).toEqual([]);
  });

  it('parses text, image, document, location and contacts, with the contact name; skips another number', () => {
    const body = webhook({
      contacts: [{ wa_id: '155', profile: { name: 'Ada' } }],
      messages: [
        { from: '155', id: 'w1', timestamp: '10', type: 'text', text: { body: 'hi' } },
        { from: '155', id: 'w2', timestamp: '11', type: 'image', image: { id: 'm1', mime_type: 'image/jpeg', caption: 'c' } },
        { from: '155', id: 'w3', timestamp: '12', type: 'document', document: { id: 'm2', filename: 'a.pdf', mime_type: 'application/pdf' } },
        { from: '155', id: 'w4', timestamp: '13', type: 'location', location: { latitude: 1.5, longitude: 2.5, name: 'Here' } },
        { from: '155', id: 'w5', timestamp: '14', type: 'contacts', contacts: [{ name: { formatted_name: 'Bob' }, phones: [{ phone: '+1 555' }] }] },
      ],
    });
    const events = receive('whatsapp', conn, body, signed(body));
    expect(events.map((e) => (e.type === 'message' ? [e.providerMessageId, e.userName, e.atMs, e.content.kind] : null))).toEqual([
      ['w1', 'Ada', 10_000, 'text'],
      ['w2', 'Ada', 11_000, 'media'],
      ['w3', 'Ada', 12_000, 'media'],
      ['w4', 'Ada', 13_000, 'location'],
      ['w5', 'Ada', 14_000, 'text'],
    ]);
    expect(events[2]).toMatchObject({ content: { media: { kind: 'id', id: 'm2' }, mediaKind: 'file', fileName: 'a.pdf' } });
    expect(events[4]).toMatchObject({ content: { text: 'Bob +1 555' } });
    const other = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'PN2' }, messages: [{ from: '1', id: 'x', timestamp: '1', type: 'text', text: { body: 'not ours' } }] } }] }] });
    expect(receive('whatsapp', conn, other, signed(other))).toEqual([]);
  });

  it("maps statuses, a failure with the provider's code, title and details", () => {
    const body = webhook({ statuses: [{ id: 'wamid.1', status: 'failed', timestamp: '5', recipient_id: '1', errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }] }, { id: 'wamid.2', status: 'read', timestamp: '6' }] });
    expect(receive('whatsapp', conn, body, signed(body))).toEqual([
      { type: 'status', providerMessageId: 'wamid.1', status: 'failed', reason: '(#131047) Re-engagement message more than 24 hours', atMs: 5000 },
      { type: 'status', providerMessageId: 'wamid.2', status: 'read', reason: null, atMs: 6000 },
    ]);
  });

  it("answers Meta's handshake only with the channel's verify token", () => {
    expect(ADAPTERS.whatsapp.verifyHandshake!({ 'hub.mode': 'subscribe', 'hub.verify_token': 'vt', 'hub.challenge': '42' }, conn)).toBe('42');
    expect(ADAPTERS.whatsapp.verifyHandshake!({ 'hub.mode': 'subscribe', 'hub.verify_token': 'no', 'hub.challenge': '42' }, conn)).toBeNull();
    expect(ADAPTERS.whatsapp.verifyHandshake!({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'vt', 'hub.challenge': '42' }, conn)).toBeNull();
  });

  it('reads send answers: an id; rate limits retryable (429, 130429, 131056); other refusals final', () => {
    expect(ADAPTERS.whatsapp.sendOutcome(200, '{"messaging_product":"whatsapp","messages":[{"id":"wamid.X"}]}', {})).toEqual({ ok: true, providerMessageId: 'wamid.X' });
    const err = (code: number, status = 400) => ADAPTERS.whatsapp.sendOutcome(status, JSON.stringify({ error: { message: `(#${code}) x`, code, error_data: { details: 'd' } } }), { 'retry-after': '3' });
    expect(err(131056)).toMatchObject({ ok: false, retryable: true, code: '131056', reason: '(#131056) x: d', retryAfterMs: 3000 });
    expect(err(130429)).toMatchObject({ retryable: true });
    expect(err(131026)).toMatchObject({ retryable: false, code: '131026' });
    expect(err(1, 503)).toMatchObject({ retryable: true });
    expect(ADAPTERS.whatsapp.sendOutcome(502, '<html>bad gateway</html>', {})).toMatchObject({ ok: false, retryable: true, code: 'http 502' });
  });

  it('builds POST /{phone-number-id}/messages bodies: text, template with parameters', () => {
    const text = ADAPTERS.whatsapp.send({ kind: 'text', to: '155', text: 'hello' }, conn);
    expect(text).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9/api/PN1/messages', headers: { authorization: 'Bearer tok' } });
    expect(JSON.parse(String(text.body))).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '155', type: 'text', text: { body: 'hello', preview_url: false } });
    const template = JSON.parse(String(ADAPTERS.whatsapp.send({ kind: 'template', to: '155', name: 'n', language: 'en', parameters: ['a'] }, conn).body));
    expect(template.template).toEqual({ name: 'n', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'a' }] }] });
    expect(ADAPTERS.whatsapp.parseTemplates!(JSON.stringify({ data: [{ name: 'n', language: 'en', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'HEADER', text: 'h' }, { type: 'BODY', text: '{{1}} and {{2}} and {{1}}' }] }] }))).toEqual([
      { name: 'n', language: 'en', status: 'APPROVED', category: 'UTILITY', body: '{{1}} and {{2}} and {{1}}', parameterCount: 2 },
    ]);
  });
});

describe('Messenger adapter', () => {
  const conn = connection('messenger', 'PAGE', { pageAccessToken: 'pt', appSecret: 'fs' });
  it('skips echoes and other pages, splits attachments, turns delivery and read into statuses and watermarks', () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          messaging: [
            { sender: { id: 'U' }, recipient: { id: 'PAGE' }, timestamp: 1, message: { mid: 'm1', text: 'look', attachments: [{ type: 'image', payload: { url: 'http://127.0.0.1:9/i.png' } }, { type: 'location', payload: { coordinates: { lat: 1, long: 2 } } }] } },
            { sender: { id: 'PAGE' }, recipient: { id: 'U' }, timestamp: 2, message: { mid: 'm2', text: 'echo', is_echo: true } },
            { sender: { id: 'U' }, recipient: { id: 'PAGE' }, timestamp: 3, delivery: { mids: ['m9'], watermark: 3 } },
            { sender: { id: 'U' }, recipient: { id: 'PAGE' }, timestamp: 4, read: { watermark: 4 } },
          ],
        },
        { id: 'OTHER', messaging: [{ sender: { id: 'U' }, recipient: { id: 'OTHER' }, timestamp: 1, message: { mid: 'x', text: 'no' } }] },
      ],
    });
    const events = receive('messenger', conn, body, { 'x-hub-signature-256': `sha256=${hmacHex('fs', body)}` });
    expect(events.map((e) => (e.type === 'message' ? `${e.providerMessageId}:${e.content.kind}` : e.type === 'status' ? `status:${e.providerMessageId}:${e.status}` : `watermark:${e.status}:${e.upToMs}`))).toEqual([
      'm1:text',
      'm1#1:media',
      'm1#2:location',
      'status:m9:delivered',
      'watermark:delivered:3',
      'watermark:read:4',
    ]);
  });

  it('tags a message HUMAN_AGENT; the window is 24 h, the tag 7 days', () => {
    expect(JSON.parse(String(ADAPTERS.messenger.send({ kind: 'text', to: 'U', text: 't', tag: 'HUMAN_AGENT' }, conn).body))).toEqual({ recipient: { id: 'U' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 't' } });
    expect(ADAPTERS.messenger.windowOf({ lastInboundAt: 0 })).toEqual({ policy: 'meta-24h', endsAt: DAY_MS, humanAgentTagEndsAt: 7 * DAY_MS });
  });
});

describe('Telegram adapter', () => {
  const conn = connection('telegram', 'bot', { botToken: '1:A', secretToken: 'st' });
  it('checks the secret token; keeps private chats; takes the largest photo size', () => {
    const body = JSON.stringify({ update_id: 1, message: { message_id: 7, date: 2, chat: { id: 99, type: 'private' }, from: { id: 99, first_name: 'A', last_name: 'B' }, photo: [{ file_id: 's', width: 1, height: 1 }, { file_id: 'l', width: 9, height: 9 }] } });
    expect(() => receive('telegram', conn, body, { 'x-telegram-bot-api-secret-token': 'nope' })).toThrow(SignatureError);
    expect(receive('telegram', conn, body, { 'x-telegram-bot-api-secret-token': 'st' })).toEqual([
      { type: 'message', providerMessageId: '99:7', externalId: '99', userName: 'A B', atMs: 2000, content: { kind: 'media', media: { kind: 'id', id: 'l' }, mediaKind: 'image', fileName: null, mimeType: null, caption: null } },
    ]);
    const group = JSON.stringify({ update_id: 2, message: { message_id: 8, date: 2, chat: { id: -5, type: 'group' }, text: 'hi all' } });
    expect(receive('telegram', conn, group, { 'x-telegram-bot-api-secret-token': 'st' })).toEqual([]);
  });

  it('reads retry_after of a 429; has no window', () => {
    expect(ADAPTERS.telegram.sendOutcome(429, '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}', {})).toEqual({ ok: false, retryable: true, code: '429', reason: 'Too Many Requests: retry after 7', retryAfterMs: 7000 });
    expect(ADAPTERS.telegram.sendOutcome(403, '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}', {})).toMatchObject({ retryable: false });
    expect(ADAPTERS.telegram.windowOf({ lastInboundAt: 0 }).endsAt).toBeNull();
  });
});

describe('Viber adapter', () => {
  const conn = connection('viber', 'Acct', { authToken: 'vt' });
  it('verifies X-Viber-Content-Signature and keeps 64-bit message tokens exact', () => {
    const body = '{"event":"message","timestamp":1,"message_token":9007199254740993123,"sender":{"id":"u=","name":"N"},"message":{"type":"location","location":{"lat":1,"lon":2}}}';
    expect(() => receive('viber', conn, body, { 'x-viber-content-signature': hmacHex('other', body) })).toThrow(SignatureError);
    const [event] = receive('viber', conn, body, { 'x-viber-content-signature': hmacHex('vt', body) });
    expect(event).toMatchObject({ type: 'message', providerMessageId: '9007199254740993123', externalId: 'u=', content: { kind: 'location', latitude: 1, longitude: 2 } });
    const failed = '{"event":"failed","timestamp":2,"message_token":9007199254740993124,"user_id":"u=","desc":"failure description"}';
    expect(receive('viber', conn, failed, { 'x-viber-content-signature': hmacHex('vt', failed) })).toEqual([{ type: 'status', providerMessageId: '9007199254740993124', status: 'failed', reason: 'failure description', atMs: 2 }]);
  });

  it('a non-zero status is a refusal (12 tooManyRequests retried)', () => {
    expect(ADAPTERS.viber.sendOutcome(200, '{"status":0,"status_message":"ok","message_token":5491000000000000001}', {})).toEqual({ ok: true, providerMessageId: '5491000000000000001' });
    expect(ADAPTERS.viber.sendOutcome(200, '{"status":6,"status_message":"receiverNotSubscribed"}', {})).toMatchObject({ ok: false, retryable: false, code: '6', reason: 'receiverNotSubscribed' });
    expect(ADAPTERS.viber.sendOutcome(200, '{"status":12,"status_message":"tooManyRequests"}', {})).toMatchObject({ retryable: true });
  });
});

describe('outgoing rules', () => {
  const message = (over: Partial<Message>): Message => ({ id: 'm', conversationId: 'c', seq: 1, clientId: null, senderType: 'agent', senderId: 'a', kind: 'text', text: 'hi', file: null, location: null, createdAt: 0, ...over });
  const url = (id: string) => `http://127.0.0.1:9/f/${id}`;

  it("sends agents', the bot's and notice texts; never the user's own message nor a system code", () => {
    expect(outboundOf(message({}), 'u', url)).toEqual({ kind: 'text', to: 'u', text: 'hi' });
    expect(outboundOf(message({ senderType: 'bot' }), 'u', url)).not.toBeNull();
    expect(outboundOf(message({ senderType: 'system', kind: 'text', text: 'We are closed' }), 'u', url)).not.toBeNull();
    expect(outboundOf(message({ senderType: 'visitor' }), 'u', url)).toBeNull();
    expect(outboundOf(message({ senderType: 'system', kind: 'system', text: 'agent.joined' }), 'u', url)).toBeNull();
    expect(outboundOf(message({ kind: 'image', file: { id: 'f1', name: 'a.png', mimeType: 'image/png', sizeBytes: 1, url: '/v1/files/f1' } }), 'u', url)).toEqual({ kind: 'media', to: 'u', mediaKind: 'image', fileId: 'f1', mimeType: 'image/png', url: 'http://127.0.0.1:9/f/f1', fileName: 'a.png', caption: null });
  });

  it("outside the window an agent's send is refused with the reason; the bot's is left unsent", () => {
    const window = ADAPTERS.whatsapp.windowOf({ lastInboundAt: 0 });
    expect(windowVerdict(window, DAY_MS - 1, 'agent', 'whatsapp')).toEqual({ send: true });
    const agent = windowVerdict(window, DAY_MS, 'agent', 'whatsapp');
    expect(agent).toMatchObject({ send: false, refuse: true });
    expect(agent.send === false && agent.reason).toContain('template');
    expect(windowVerdict(window, DAY_MS, 'bot', 'whatsapp')).toMatchObject({ send: false, refuse: false });
    expect(windowVerdict(ADAPTERS.telegram.windowOf({ lastInboundAt: 0 }), 100 * DAY_MS, 'agent', 'telegram')).toEqual({ send: true });
  });

  it('retries after 1 s, 2 s, 4 s… or what the provider asked, 8 attempts in all', () => {
    expect([1, 2, 3, 4].map((n) => nextSendDelayMs(n, null))).toEqual([1000, 2000, 4000, 8000]);
    expect(nextSendDelayMs(1, 30_000)).toBe(30_000);
    expect(nextSendDelayMs(8, null)).toBeNull();
  });

  it('a delivery only moves forward; a late failure does not undo a delivery', () => {
    expect(advancesDelivery('queued', 'sent')).toBe(true);
    expect(advancesDelivery('read', 'delivered')).toBe(false);
    expect(advancesDelivery('sent', 'failed')).toBe(true);
    expect(advancesDelivery('delivered', 'failed')).toBe(false);
    expect(advancesDelivery('failed', 'read')).toBe(true);
  });
});

describe('media uploads', () => {
  const file = { bytes: Buffer.from([1, 2, 3]), mimeType: 'image/png', fileName: 'a "b".png' };
  const media = { kind: 'media' as const, to: 'u', mediaKind: 'image' as const, fileId: 'f1', mimeType: 'image/png', url: 'http://127.0.0.1:9/f/f1', fileName: 'a.png', caption: null };
  const connection = { channelId: 'ch', appId: 'app', provider: 'whatsapp' as const, accountId: 'PN1', apiBaseUrl: 'http://127.0.0.1:9/api', credentials: { accessToken: 'tok', pageAccessToken: 'ptok', botToken: '1:T' } };

  it('builds multipart bodies with the file and escaped names', () => {
    const { contentType, body } = multipartBody([{ name: 'a', value: 'v' }, { name: 'file', file }]);
    const boundary = contentType.split('boundary=')[1]!;
    const text = body.toString('latin1');
    expect(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n`)).toBe(true);
    expect(text).toContain('name="file"; filename="a _b_.png"\r\nContent-Type: image/png\r\n\r\n\u0001\u0002\u0003\r\n');
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it('reads upload answers: an id, or a refusal with the reason; sends by the id', () => {
    expect(ADAPTERS.whatsapp.uploadOutcome!(200, '{"id":"m1"}')).toEqual({ ok: true, mediaId: 'm1' });
    expect(ADAPTERS.messenger.uploadOutcome!(200, '{"attachment_id":"a1"}')).toEqual({ ok: true, mediaId: 'a1' });
    expect(ADAPTERS.whatsapp.uploadOutcome!(400, '{"error":{"message":"bad type","code":131053}}')).toMatchObject({ ok: false, retryable: false, code: '131053', reason: 'bad type' });
    expect(ADAPTERS.whatsapp.uploadOutcome!(429, '{"error":{"message":"slow down","code":130429}}')).toMatchObject({ ok: false, retryable: true });
    expect(ADAPTERS.whatsapp.uploadRequest!(media, file, connection)).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9/api/PN1/media', headers: { authorization: 'Bearer tok' } });
    expect(JSON.parse(String(ADAPTERS.whatsapp.send({ ...media, mediaId: 'm1' }, connection).body)).image).toEqual({ id: 'm1' });
    expect(ADAPTERS.telegram.sendWithFile!(media, file, connection).url).toBe('http://127.0.0.1:9/api/bot1:T/sendPhoto');
    expect(ADAPTERS.viber.uploadRequest).toBeUndefined();
    expect(ADAPTERS.viber.sendWithFile).toBeUndefined();
  });
});

describe('pair pacing (WhatsApp: about one message per 6 s to a user)', () => {
  it('lets a burst go at once, then one per interval; an idle user starts afresh', () => {
    let paceAt = 0;
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const paced = pairPace(paceAt, 1000, 6000, 5);
      runs.push(paced.runAt);
      paceAt = paced.paceAt;
    }
    expect(runs).toEqual([1000, 1000, 1000, 1000, 1000, 7000, 13000]);
    expect(pairPace(paceAt, 1_000_000, 6000, 5)).toEqual({ runAt: 1_000_000, paceAt: 1_006_000 });
  });
});
