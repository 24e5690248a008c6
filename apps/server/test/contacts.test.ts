import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';
import { visitorClient } from './sdk-visitor-support.ts';

const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI_ON_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describe.each(STORAGES)('contacts (%s)', (storage) => {
  let server: TestServer;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  let globex: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(storage);
    acme = await seedApp(server, 'acme');
    globex = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  async function visitor(appId: string) {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId } })).body as { token: string; visitor: { id: string } };
    return { token: session.token, visitorId: session.visitor.id };
  }

  /** A conversation of the visitor with one message, ended by the visitor. */
  async function pastConversation(token: string, text: string): Promise<string> {
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token })).body as { id: string };
    const sent = await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token, body: { clientId: `c-${text}`, text } });
    expect(sent.status).toBe(201);
    expect((await api(server.url, 'POST', `/v1/conversations/${conversation.id}/close`, { token })).status).toBe(200);
    return conversation.id;
  }

  it("a visitor's identify and visit make its contact: profile, attributes, page, referrer, device, language and place", async () => {
    const v = await visitor('acme');
    const reported = await api(server.url, 'POST', '/v1/visitor/contact', {
      token: v.token,
      headers: { 'user-agent': CHROME_ON_WINDOWS },
      body: {
        name: 'Li Lei',
        email: 'lilei@example.com',
        phone: '+86 138 0000 0000',
        attributes: { plan: 'gold', seats: 12, vip: true },
        pageUrl: 'http://127.0.0.1:9/pricing?utm=ad',
        referrer: 'http://127.0.0.1:9/search',
        language: 'zh-CN',
        timeZone: 'Asia/Shanghai',
      },
    });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({
      appId: 'acme',
      visitors: [{ id: v.visitorId, externalId: null }],
      name: 'Li Lei',
      email: 'lilei@example.com',
      phone: '+86 138 0000 0000',
      attributes: { plan: 'gold', seats: 12, vip: true },
      pageUrl: 'http://127.0.0.1:9/pricing?utm=ad',
      referrer: 'http://127.0.0.1:9/search',
      browser: 'Chrome 120',
      os: 'Windows 10/11',
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      location: 'CN · Shanghai',
    });
    expect(reported.body.lastSeenAt).toBeGreaterThanOrEqual(reported.body.firstSeenAt);

    // A later visit from a phone: where it is now, the profile kept, attributes patched one by one.
    const later = await api(server.url, 'POST', '/v1/visitor/contact', {
      token: v.token,
      headers: { 'user-agent': SAFARI_ON_IPHONE },
      body: { pageUrl: 'http://127.0.0.1:9/checkout', referrer: '', attributes: { seats: 13, vip: null } },
    });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ name: 'Li Lei', pageUrl: 'http://127.0.0.1:9/checkout', referrer: 'http://127.0.0.1:9/search', browser: 'Safari 17', os: 'iOS 17', attributes: { plan: 'gold', seats: 13 } });
    expect(later.body.attributes).not.toHaveProperty('vip');

    // Staff read the same contact by the visitor.
    const byVisitor = await api(server.url, 'GET', `/v1/visitors/${v.visitorId}/contact`, { token: acme.agent1.token });
    expect(byVisitor.status).toBe(200);
    expect(byVisitor.body.id).toBe(reported.body.id);
  });

  it('refuses what is not a contact: bad email, script URLs, unknown time zones, too many attributes, bad attribute names', async () => {
    const v = await visitor('acme');
    const refuse = async (body: unknown) => {
      const reply = await api(server.url, 'POST', '/v1/visitor/contact', { token: v.token, body });
      expect(reply.status).toBe(400);
      return reply.body.error.code as string;
    };
    expect(await refuse({ email: 'not-an-email' })).toBe('FD_REQ_INVALID');
    expect(await refuse({ pageUrl: 'javascript:alert(1)' })).toBe('FD_REQ_INVALID');
    expect(await refuse({ timeZone: 'Mars/Olympus' })).toBe('FD_REQ_INVALID');
    expect(await refuse({ phone: 'call me' })).toBe('FD_REQ_INVALID');
    expect(await refuse({ attributes: { '<b>': 'x' } })).toBe('FD_REQ_INVALID');
    expect(await refuse({ attributes: { nested: { a: 1 } } })).toBe('FD_REQ_INVALID');
    expect(await refuse({ attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i])) })).toBe('FD_REQ_INVALID');
    // 50 at once are fine; one more in a second call goes over the limit.
    const fifty = await api(server.url, 'POST', '/v1/visitor/contact', { token: v.token, body: { attributes: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, i])) } });
    expect(fifty.status).toBe(200);
    expect(await refuse({ attributes: { one: 'more' } })).toBe('FD_CONTACT_ATTRIBUTES_LIMIT');
  });

  it('agents edit a contact (null clears); a visitor may not use the staff routes nor staff the visitor route', async () => {
    const v = await visitor('acme');
    const contact = (await api(server.url, 'GET', `/v1/visitors/${v.visitorId}/contact`, { token: acme.agent2.token })).body as { id: string };
    const edited = await api(server.url, 'PATCH', `/v1/contacts/${contact.id}`, { token: acme.agent2.token, body: { name: 'Han Meimei', phone: '020-1234-5678', attributes: { note: '回访' } } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Han Meimei', phone: '020-1234-5678', attributes: { note: '回访' } });
    const cleared = await api(server.url, 'PATCH', `/v1/contacts/${contact.id}`, { token: acme.agent2.token, body: { phone: null, attributes: { note: null } } });
    expect(cleared.body).toMatchObject({ name: 'Han Meimei', phone: null, attributes: {} });

    expect((await api(server.url, 'GET', `/v1/contacts/${contact.id}`, { token: v.token })).status).toBe(403);
    expect((await api(server.url, 'PATCH', `/v1/contacts/${contact.id}`, { token: v.token, body: { name: 'x' } })).status).toBe(403);
    expect((await api(server.url, 'POST', '/v1/visitor/contact', { token: acme.agent1.token, body: { name: 'x' } })).status).toBe(403);
    expect((await api(server.url, 'GET', `/v1/contacts/${contact.id}`)).status).toBe(401);
  });

  it("another app's contacts and visitors are not found", async () => {
    const v = await visitor('acme');
    const contact = (await api(server.url, 'GET', `/v1/visitors/${v.visitorId}/contact`, { token: acme.agent1.token })).body as { id: string };
    for (const [method, route, body] of [
      ['GET', `/v1/contacts/${contact.id}`, undefined],
      ['PATCH', `/v1/contacts/${contact.id}`, { name: 'stolen' }],
      ['GET', `/v1/contacts/${contact.id}/conversations`, undefined],
      ['GET', `/v1/visitors/${v.visitorId}/contact`, undefined],
    ] as const) {
      const reply = await api(server.url, method, route, { token: globex.admin.token, body });
      expect(reply.status, `${method} ${route}`).toBe(404);
    }
    const own = (await api(server.url, 'GET', `/v1/visitors/${(await visitor('globex')).visitorId}/contact`, { token: globex.admin.token })).body as { id: string };
    const merge = await api(server.url, 'POST', `/v1/contacts/${own.id}/merge`, { token: globex.admin.token, body: { contactId: contact.id } });
    expect(merge.status).toBe(404);
    expect((await api(server.url, 'GET', `/v1/contacts/${contact.id}`, { token: acme.agent1.token })).body.name).toBeNull();
  });

  it('the timeline shows every conversation of the contact, newest first, with its last message', async () => {
    const v = await visitor('acme');
    const first = await pastConversation(v.token, 'my order is late');
    const second = await pastConversation(v.token, '发票什么时候开？');
    const contact = (await api(server.url, 'GET', `/v1/visitors/${v.visitorId}/contact`, { token: acme.agent1.token })).body as { id: string };
    const timeline = await api(server.url, 'GET', `/v1/contacts/${contact.id}/conversations`, { token: acme.agent1.token });
    expect(timeline.status).toBe(200);
    const entries = timeline.body.conversations as { id: string; status: string; preview: string | null }[];
    expect(entries.map((c) => c.id)).toEqual([second, first]);
    expect(entries.every((c) => c.status === 'closed')).toBe(true);
    // The last message someone wrote, not the notice of the end.
    expect(entries.map((c) => c.preview)).toEqual(['发票什么时候开？', 'my order is late']);
  });

  it('merging two contacts: one keeps both visitors and both timelines, its fields win, the merged one answers with it', async () => {
    const a = await visitor('acme');
    const b = await visitor('acme');
    const convA = await pastConversation(a.token, 'from the laptop');
    const convB = await pastConversation(b.token, 'from the phone');
    const kept = (await api(server.url, 'POST', '/v1/visitor/contact', { token: a.token, body: { name: 'Wang Fang', attributes: { plan: 'gold' } } })).body as { id: string };
    const merged = (await api(server.url, 'POST', '/v1/visitor/contact', { token: b.token, body: { name: 'W. Fang', email: 'wf@example.com', attributes: { plan: 'free', city: 'Guangzhou' } } })).body as { id: string };

    const result = await api(server.url, 'POST', `/v1/contacts/${kept.id}/merge`, { token: acme.agent1.token, body: { contactId: merged.id } });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: kept.id, name: 'Wang Fang', email: 'wf@example.com', attributes: { plan: 'gold', city: 'Guangzhou' } });
    expect((result.body.visitors as { id: string }[]).map((v) => v.id).sort()).toEqual([a.visitorId, b.visitorId].sort());

    const timeline = (await api(server.url, 'GET', `/v1/contacts/${merged.id}/conversations`, { token: acme.agent1.token })).body.conversations as { id: string }[];
    expect(timeline.map((c) => c.id).sort()).toEqual([convA, convB].sort());
    expect((await api(server.url, 'GET', `/v1/contacts/${merged.id}`, { token: acme.agent1.token })).body.id).toBe(kept.id);
    expect((await api(server.url, 'GET', `/v1/visitors/${b.visitorId}/contact`, { token: acme.agent1.token })).body.id).toBe(kept.id);
    // The visitor's next report lands on the kept contact.
    const next = await api(server.url, 'POST', '/v1/visitor/contact', { token: b.token, body: { attributes: { device: 'phone' } } });
    expect(next.body).toMatchObject({ id: kept.id, attributes: { plan: 'gold', city: 'Guangzhou', device: 'phone' } });

    const again = await api(server.url, 'POST', `/v1/contacts/${kept.id}/merge`, { token: acme.agent1.token, body: { contactId: merged.id } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('FD_CONTACT_MERGE_INVALID');
    const self = await api(server.url, 'POST', `/v1/contacts/${kept.id}/merge`, { token: acme.agent1.token, body: { contactId: kept.id } });
    expect(self.body.error.code).toBe('FD_CONTACT_MERGE_INVALID');
    // The list shows only live contacts.
    const listed = (await api(server.url, 'GET', '/v1/contacts?query=fang', { token: acme.agent1.token })).body.contacts as { id: string; visitors: { id: string }[] }[];
    expect(listed.map((c) => c.id)).toEqual([kept.id]);
    // Each listed contact with its own visitors (read for the whole page at once).
    expect(listed[0]!.visitors.map((v) => v.id).sort()).toEqual([a.visitorId, b.visitorId].sort());
    const page = (await api(server.url, 'GET', '/v1/contacts?limit=100', { token: acme.agent1.token })).body.contacts as { id: string; visitors: { id: string }[] }[];
    expect(page.length).toBeGreaterThan(2);
    for (const contact of page) expect(contact, contact.id).toEqual((await api(server.url, 'GET', `/v1/contacts/${contact.id}`, { token: acme.agent1.token })).body);
  });

  it("the visitor SDK's identify sets the profile and attributes with the visit", async () => {
    const { client } = visitorClient(server.url);
    await client.connect();
    const contact = await client.identify({ name: 'Zhang Wei', email: 'zw@example.com', attributes: { plan: 'pro', orders: 3 } });
    expect(contact).toMatchObject({ name: 'Zhang Wei', email: 'zw@example.com', attributes: { plan: 'pro', orders: 3 } });
    // Outside a browser there is no page; the language and time zone of the runtime are known.
    expect(contact.pageUrl).toBeNull();
    expect(contact.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    const seen = (await api(server.url, 'GET', `/v1/visitors/${client.visitorId}/contact`, { token: acme.agent1.token })).body;
    expect(seen).toMatchObject({ id: contact.id, name: 'Zhang Wei', attributes: { plan: 'pro', orders: 3 } });
    client.disconnect();
  });

  it('the business finds and updates a contact with its API key, by its own user id', async () => {
    const key = (await api(server.url, 'POST', '/v1/app/api-keys', { token: acme.admin.token, body: { name: 'crm' } })).body.key as string;
    const session = await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } });
    expect(session.status).toBe(200);
    // An anonymous visitor has no external id: nobody is found by one.
    expect((await api(server.url, 'GET', '/v1/contacts?externalId=u-404', { token: key })).body.contacts).toEqual([]);
    const contact = (await api(server.url, 'GET', `/v1/visitors/${session.body.visitor.id}/contact`, { token: key })).body as { id: string };
    const updated = await api(server.url, 'PATCH', `/v1/contacts/${contact.id}`, { token: key, body: { attributes: { ltv: 1999.5 } } });
    expect(updated.status).toBe(200);
    expect(updated.body.attributes).toEqual({ ltv: 1999.5 });
  });
});
