import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAQ_MIN_SCORE, searchFaqs } from '../src/modules/bot/index.ts';
import { createChannelsService } from '../src/modules/channels/index.ts';
import { createTokenSigner } from '../src/modules/identity/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

/** Monday 3 March 2025, 10:00 in Shanghai. */
const MONDAY_10_SHANGHAI = Date.parse('2025-03-03T02:00:00Z');

const SHANGHAI_OFFICE_HOURS = {
  timeZone: 'Asia/Shanghai',
  workdayPeriods: [{ start: '09:00', end: '18:00' }],
  offHoursMessage: '我们已下班。We are closed.',
};

describe.each(STORAGES)('channels (%s)', (storage) => {
  let server: TestServer;
  let clock: ManualClock;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  let globex: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    clock = new ManualClock(MONDAY_10_SHANGHAI);
    server = await startTestServer(storage, {}, { clock });
    acme = await seedApp(server, 'acme');
    globex = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  const call = (method: string, route: string, token: string, body?: unknown) => api(server.url, method, route, { token, ...(body === undefined ? {} : { body }) });
  const asAdmin = (method: string, route: string, body?: unknown) => call(method, route, acme.admin.token, body);
  const createChannel = async (body: object = { name: 'Support' }) => {
    const created = await asAdmin('POST', '/v1/channels', body);
    expect(created.status).toBe(201);
    return created.body;
  };
  const visitorToken = async (appId: string) => (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId } })).body.token as string;

  it('an admin creates a channel with a default for every setting, reads, changes and deletes it', async () => {
    const channel = await createChannel({ name: 'Support' });
    expect(channel).toMatchObject({
      appId: 'acme',
      name: 'Support',
      isDefault: false,
      queueId: null,
      hours: null,
      bot: { enabled: false, handOffKeywords: ['转人工', '人工', 'human', 'agent'] },
      queueReminder: { enabled: true, intervalSeconds: 10 },
      idleEnd: { enabled: true, minutes: 20 },
    });
    expect(channel.queueReminder.text).toContain('{position}');
    expect(channel.queueReminder.text).toContain('{waitMinutes}');
    expect(channel.bot.name.length).toBeGreaterThan(0);
    expect(channel.idleEnd.text.length).toBeGreaterThan(0);

    const list = await asAdmin('GET', '/v1/channels');
    expect(list.status).toBe(200);
    expect(list.body.channels.map((c: any) => c.id)).toContain(channel.id);
    expect(list.body.channels.filter((c: any) => c.isDefault)).toHaveLength(1);

    const queue = (await asAdmin('POST', '/v1/queues', { name: 'Support queue' })).body;
    const patched = await asAdmin('PATCH', `/v1/channels/${channel.id}`, {
      queueId: queue.id,
      bot: { enabled: true, name: 'Ada', avatarUrl: 'http://127.0.0.1:9/ada.png' },
      queueReminder: { intervalSeconds: 30 },
      idleEnd: { enabled: false },
      hours: SHANGHAI_OFFICE_HOURS,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Support',
      queueId: queue.id,
      bot: { enabled: true, name: 'Ada', avatarUrl: 'http://127.0.0.1:9/ada.png', defaultReply: channel.bot.defaultReply },
      queueReminder: { enabled: true, intervalSeconds: 30, text: channel.queueReminder.text },
      idleEnd: { enabled: false, minutes: 20 },
      hours: { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], alwaysOpen: false },
    });
    const cleared = await asAdmin('PATCH', `/v1/channels/${channel.id}`, { bot: { avatarUrl: null }, hours: null, queueId: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.bot).not.toHaveProperty('avatarUrl');
    expect(cleared.body.bot.name).toBe('Ada');
    expect(cleared.body).toMatchObject({ hours: null, queueId: null });
    expect((await asAdmin('GET', `/v1/channels/${channel.id}`)).body).toEqual(cleared.body);

    expect((await asAdmin('DELETE', `/v1/channels/${channel.id}`)).status).toBe(204);
    const gone = await asAdmin('GET', `/v1/channels/${channel.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('FD_CHANNEL_NOT_FOUND');
  });

  it('refuses out-of-range settings with 400 and a message naming the field', async () => {
    const cases: [object, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'x', queueReminder: { intervalSeconds: 4 } }, 'intervalSeconds'],
      [{ name: 'x', queueReminder: { intervalSeconds: 601 } }, 'intervalSeconds'],
      [{ name: 'x', queueReminder: { intervalSeconds: 10.5 } }, 'intervalSeconds'],
      [{ name: 'x', idleEnd: { minutes: 0 } }, 'minutes'],
      [{ name: 'x', idleEnd: { minutes: 1441 } }, 'minutes'],
      [{ name: 'x', bot: { avatarUrl: 'not a url' } }, 'avatarUrl'],
      [{ name: 'x', bot: { avatarUrl: 'javascript:alert(1)' } }, 'avatarUrl'],
      [{ name: 'x', hours: { ...SHANGHAI_OFFICE_HOURS, timeZone: 'Mars/Base' } }, 'timeZone'],
      [{ name: 'x', hours: { ...SHANGHAI_OFFICE_HOURS, workdayPeriods: ['00', '02', '04', '06', '08'].map((h) => ({ start: `${h}:00`, end: `${h}:30` })) } }, 'workdayPeriods'],
    ];
    for (const [body, field] of cases) {
      const res = await asAdmin('POST', '/v1/channels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('FD_REQ_INVALID');
      expect(res.body.error.message).toContain(field);
    }
    const channel = await createChannel({ name: 'Sales' });
    const res = await asAdmin('PATCH', `/v1/channels/${channel.id}`, { queueReminder: { intervalSeconds: 1000 } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('intervalSeconds');
    expect((await asAdmin('GET', `/v1/channels/${channel.id}`)).body.queueReminder.intervalSeconds).toBe(10);
  });

  it('creates the default channel once under 20 concurrent first uses, and keeps it', async () => {
    await server.app.services.tenancy.createApp({ id: 'fresh', name: 'fresh' });
    const { channels } = server.app.services;
    const resolved = await Promise.all(Array.from({ length: 20 }, () => channels.resolveChannel('fresh')));
    expect(new Set(resolved.map((c) => c.id)).size).toBe(1);
    expect(resolved[0]).toMatchObject({ appId: 'fresh', isDefault: true });
    expect(await channels.listChannels('fresh')).toEqual([resolved[0]]);

    // Through HTTP, `default` names it; it cannot be deleted.
    const viaAlias = await asAdmin('GET', '/v1/channels/default');
    expect(viaAlias.status).toBe(200);
    expect(viaAlias.body.isDefault).toBe(true);
    expect((await asAdmin('GET', `/v1/channels/${viaAlias.body.id}`)).body.id).toBe(viaAlias.body.id);
    const refused = await asAdmin('DELETE', `/v1/channels/${viaAlias.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('FD_CHANNEL_IS_DEFAULT');
  });

  it("another app's admin gets 404 for this app's channel and FAQ ids", async () => {
    const channel = await createChannel({ name: 'Private' });
    const faq = (await asAdmin('POST', `/v1/channels/${channel.id}/faqs`, { question: '如何退货', answer: '请在订单页申请退货。' })).body;
    const globexChannel = (await call('POST', '/v1/channels', globex.admin.token, { name: 'Globex' })).body;
    const asGlobex = (method: string, route: string, body?: unknown) => call(method, route, globex.admin.token, body);

    const attempts = [
      await asGlobex('GET', `/v1/channels/${channel.id}`),
      await asGlobex('PATCH', `/v1/channels/${channel.id}`, { name: 'stolen' }),
      await asGlobex('DELETE', `/v1/channels/${channel.id}`),
      await asGlobex('GET', `/v1/channels/${channel.id}/faqs`),
      await asGlobex('POST', `/v1/channels/${channel.id}/faqs`, { question: 'q', answer: 'a' }),
      await asGlobex('PATCH', `/v1/channels/${channel.id}/faqs/${faq.id}`, { answer: 'stolen' }),
      await asGlobex('DELETE', `/v1/channels/${channel.id}/faqs/${faq.id}`),
      await call('GET', `/v1/channels/${channel.id}/public`, await visitorToken('globex')),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.body.error.code).toBe('FD_CHANNEL_NOT_FOUND');
    }
    // A FAQ id of another app under one's own channel is not found either.
    for (const attempt of [
      await asGlobex('PATCH', `/v1/channels/${globexChannel.id}/faqs/${faq.id}`, { answer: 'stolen' }),
      await asGlobex('DELETE', `/v1/channels/${globexChannel.id}/faqs/${faq.id}`),
    ]) {
      expect(attempt.status).toBe(404);
      expect(attempt.body.error.code).toBe('FD_FAQ_NOT_FOUND');
    }
    expect((await asGlobex('GET', '/v1/channels')).body.channels.map((c: any) => c.id)).not.toContain(channel.id);
    await expect(server.app.services.channels.faqIndex('globex', channel.id)).rejects.toMatchObject({ code: 'FD_CHANNEL_NOT_FOUND' });
    // Nothing changed.
    expect((await asAdmin('GET', `/v1/channels/${channel.id}`)).body.name).toBe('Private');
    expect((await asAdmin('GET', `/v1/channels/${channel.id}/faqs`)).body.faqs).toEqual([faq]);
  });

  it('refuses agents and visitors on the admin routes', async () => {
    const channel = await createChannel({ name: 'Admins only' });
    const visitor = await visitorToken('acme');
    for (const token of [acme.agent1.token, visitor]) {
      for (const [method, route, body] of [
        ['GET', '/v1/channels', undefined],
        ['POST', '/v1/channels', { name: 'mine' }],
        ['GET', `/v1/channels/${channel.id}`, undefined],
        ['PATCH', `/v1/channels/${channel.id}`, { name: 'mine' }],
        ['DELETE', `/v1/channels/${channel.id}`, undefined],
        ['GET', `/v1/channels/${channel.id}/faqs`, undefined],
        ['POST', `/v1/channels/${channel.id}/faqs`, { question: 'q', answer: 'a' }],
      ] as const) {
        const res = await call(method, route, token, body);
        expect(res.status, `${method} ${route}`).toBe(403);
        expect(res.body.error.code).toBe('FD_AUTH_FORBIDDEN');
      }
    }
    expect((await api(server.url, 'GET', '/v1/channels')).status).toBe(401);
    expect((await asAdmin('GET', `/v1/channels/${channel.id}`)).body.name).toBe('Admins only');
  });

  it('FAQ changes are seen by the FAQ index, on this node and on another sharing the database', async () => {
    const { channels } = server.app.services;
    // A second server node: its own service (and cache) over the same database.
    const tokens = await createTokenSigner({ storage: server.app.storage, clock });
    const otherNode = createChannelsService({ storage: server.app.storage, clock, queueExists: async () => true, secretBox: tokens.secretBox('channel identity secret') });
    const channel = await createChannel({ name: 'Shop' });
    /** The FAQ the bot would answer with (see decideBotReply). */
    const top = async (node: typeof channels, text: string) => {
      const best = searchFaqs(await node.faqIndex('acme', channel.id), text, 1)[0];
      return best && best.score >= FAQ_MIN_SCORE ? best.faqId : undefined;
    };

    expect((await channels.faqIndex('acme', channel.id)).size).toBe(0);
    const zh = (await asAdmin('POST', `/v1/channels/${channel.id}/faqs`, { question: '如何退货', keywords: ['退货', '退款'], answer: '请在订单页申请退货。', locale: 'zh' })).body;
    const en = (await asAdmin('POST', `/v1/channels/${channel.id}/faqs`, { question: 'How do I return my order?', keywords: ['return', 'refund'], answer: 'Open the order and choose Return.', locale: 'en' })).body;
    expect(zh).toMatchObject({ channelId: channel.id, question: '如何退货', keywords: ['退货', '退款'], locale: 'zh' });
    expect(await top(channels, '我想退货')).toBe(zh.id);
    expect(await top(otherNode, 'how can I return my order')).toBe(en.id);
    // Unchanged FAQs: the cached index is reused.
    expect(await channels.faqIndex('acme', channel.id)).toBe(await channels.faqIndex('acme', channel.id));

    // Changed through this node's REST API: both nodes see the new questions at once.
    const zhUpdated = await asAdmin('PATCH', `/v1/channels/${channel.id}/faqs/${zh.id}`, { question: '发货需要多久', keywords: ['发货', '物流'], answer: '下单后48小时内发货。' });
    expect(zhUpdated.status).toBe(200);
    expect(zhUpdated.body).toMatchObject({ question: '发货需要多久', locale: 'zh' });
    const enUpdated = await asAdmin('PATCH', `/v1/channels/${channel.id}/faqs/${en.id}`, { question: 'How long does shipping take?', keywords: ['shipping', 'delivery'], locale: null });
    expect(enUpdated.body).not.toHaveProperty('locale');
    for (const node of [channels, otherNode]) {
      expect(await top(node, '多久能发货')).toBe(zh.id);
      expect(await top(node, '我想退货')).toBeUndefined();
      expect(await top(node, 'how long does shipping take')).toBe(en.id);
      expect(await top(node, 'how can I return my order')).toBeUndefined();
    }

    // Changed through the other node: this node sees it too.
    await otherNode.deleteFaq('acme', channel.id, zh.id);
    expect(await top(channels, '多久能发货')).toBeUndefined();
    expect((await channels.faqIndex('acme', channel.id)).size).toBe(1);
    expect((await asAdmin('GET', `/v1/channels/${channel.id}/faqs`)).body.faqs.map((f: any) => f.id)).toEqual([en.id]);
    const missing = await asAdmin('DELETE', `/v1/channels/${channel.id}/faqs/${zh.id}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('FD_FAQ_NOT_FOUND');
    const invalid = await asAdmin('POST', `/v1/channels/${channel.id}/faqs`, { question: ' ', answer: 'a' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('question');
  });

  it('describes the channel and rating routes in the OpenAPI document', async () => {
    const doc = (await api(server.url, 'GET', '/openapi.json')).body;
    expect(doc.paths['/v1/channels'].post.tags).toEqual(['channels']);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/channels/{id}', '/v1/channels/{id}/faqs', '/v1/channels/{id}/faqs/{faqId}', '/v1/channels/{id}/public', '/v1/conversations/{id}/rating']),
    );
  });

  it('the API reference shows no internal SPEC ids (M10, M16…) in its summaries and descriptions', async () => {
    const doc = (await api(server.url, 'GET', '/openapi.json')).body;
    const texts: string[] = [];
    for (const [route, methods] of Object.entries(doc.paths as Record<string, Record<string, { summary?: string; description?: string }>>)) {
      for (const [method, op] of Object.entries(methods)) for (const text of [op.summary, op.description]) if (text) texts.push(`${method.toUpperCase()} ${route}: ${text}`);
    }
    expect(texts.length).toBeGreaterThan(50);
    expect(texts.filter((text) => /\bM\d{1,2}\b/.test(text.split(': ').slice(1).join(': ')))).toEqual([]);
  });

  // Last: it moves the clock.
  it('the public view tells any principal of the app whether the channel is open now', async () => {
    const set = await asAdmin('PATCH', '/v1/channels/default', { bot: { enabled: true, name: 'Ada', avatarUrl: 'http://127.0.0.1:9/ada.png' }, hours: SHANGHAI_OFFICE_HOURS });
    expect(set.status).toBe(200);
    const visitor = await visitorToken('acme');
    const open = await call('GET', '/v1/channels/default/public', visitor);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({
      id: set.body.id,
      name: set.body.name,
      bot: { enabled: true, name: 'Ada', avatarUrl: 'http://127.0.0.1:9/ada.png' },
      isOpen: true,
      // No agent has signed in here.
      isStaffed: false,
      availability: { state: 'offline', agentsOnline: 0, expectedWaitSeconds: null },
      preChatForm: { enabled: false, fields: [{ key: 'name', required: true }, { key: 'email', required: false }] },
      welcomeMessage: null,
      offHoursMessage: '我们已下班。We are closed.',
      nextOpeningAt: null,
      identityMode: 'anonymous',
      calls: { audio: false, video: false },
      // Co-browsing: on by default, no rules beyond the built-in ones.
      cobrowse: { enabled: true, maskSelectors: [], blockSelectors: [], unmaskSelectors: [], pausedPages: [] },
      // The server's FRONTDESK_UPLOAD_MAX_BYTES (its default here), for the widget to refuse early.
      limits: { uploadMaxBytes: 10 * 1024 * 1024 },
    });
    expect((await call('GET', `/v1/channels/${set.body.id}/public`, acme.agent1.token)).body).toEqual(open.body);

    clock.advance(9 * 3_600_000); // Monday 19:00 in Shanghai
    const closed = await call('GET', `/v1/channels/${set.body.id}/public`, visitor);
    expect(closed.body).toMatchObject({ isOpen: false, offHoursMessage: '我们已下班。We are closed.', nextOpeningAt: Date.parse('2025-03-04T01:00:00Z') });

    const alwaysOpen = await createChannel({ name: 'Always open' });
    expect((await call('GET', `/v1/channels/${alwaysOpen.id}/public`, visitor)).body).toMatchObject({
      isOpen: true,
      offHoursMessage: null,
      nextOpeningAt: null,
      bot: { enabled: false, avatarUrl: null },
    });
  });
});
