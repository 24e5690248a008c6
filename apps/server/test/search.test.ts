import { afterEach, describe, expect, it } from 'vitest';
import { api, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

/** The workbench's lists and full-text search (SPEC M8): Chinese and English, visitor names, filters, app scope. */
describe.each(STORAGES)('conversation lists and search (%s)', (storage) => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup() {
    server = await startTestServer(storage);
    const srv = server;
    const acme = await seedApp(srv, 'acme');
    const other = await seedApp(srv, 'other');
    const ok = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(srv.url, method, route, { token, body });
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    let n = 0;
    const visitor = async (appId: string, name: string | undefined, ...texts: string[]) => {
      const session = await ok('POST', '/v1/visitor/session', '', { appId, ...(name ? { name } : {}) });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      for (const text of texts) await ok('POST', `/v1/conversations/${conversation.id}/messages`, session.token, { clientId: `c${++n}`, text });
      return { token: session.token as string, id: conversation.id as string };
    };
    const search = async (token: string, query: string) => ((await ok('GET', `/v1/conversations/search?${query}`, token)).results as { conversation: { id: string; status: string }; hit: { text: string; seq: number } | null; nameMatched: boolean }[]);
    const ids = async (token: string, query: string) => (await search(token, query)).map((r) => r.conversation.id);
    return { srv, acme, other, ok, visitor, search, ids };
  }

  it('finds Chinese phrases and English words in messages, newest match first, with the matching message; scoped to the app', async () => {
    const t = await setup();
    const zh = await t.visitor('acme', undefined, '你好', '我的订单还没有到，能帮我查一下物流吗？');
    const en = await t.visitor('acme', undefined, 'Hello, I would like a refund for order 1234.', 'The parcel arrived damaged');
    const both = await t.visitor('acme', undefined, '退款 refund 申请');
    const elsewhere = await t.visitor('other', undefined, '我的订单还没有到 refund');
    const token = t.acme.agent1.token;
    // NOTE: on SQLite messages are indexed right after they are stored (docs/search.md): wait for the
    // last one stored; the index is written in the order they were stored, so all are in.
    await expect.poll(() => t.ids(t.other.agent1.token, 'q=refund')).toEqual([elsewhere.id]);

    const byPhrase = await t.search(token, `q=${encodeURIComponent('查一下物流')}`);
    expect(byPhrase.map((r) => r.conversation.id)).toEqual([zh.id]);
    expect(byPhrase[0]!.hit).toMatchObject({ text: '我的订单还没有到，能帮我查一下物流吗？', seq: 2 });
    expect(await t.ids(token, `q=${encodeURIComponent('订单')}`)).toEqual([zh.id]);
    // English words in any order and case; the newest match first.
    expect(await t.ids(token, 'q=REFUND')).toEqual([both.id, en.id]);
    expect(await t.ids(token, `q=${encodeURIComponent('damaged parcel')}`)).toEqual([en.id]);
    expect(await t.ids(token, `q=${encodeURIComponent('退款')}`)).toEqual([both.id]);
    expect(await t.ids(token, 'q=nothing-like-this')).toEqual([]);
    // Another app's conversations are never found, theirs see only theirs.
    expect(await t.ids(t.other.agent1.token, 'q=refund')).toEqual([elsewhere.id]);
    // System notices are not searchable words.
    expect(await t.ids(token, 'q=joined')).toEqual([]);
  });

  it("finds visitors by name (their own, or the name they gave in a form), before message matches", async () => {
    const t = await setup();
    const named = await t.visitor('acme', 'Zhang Wei 张伟', 'hi');
    const mentions = await t.visitor('acme', undefined, 'my colleague Zhang will call');
    const formSession = await t.ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
    const left = await t.ok('POST', '/v1/conversations/messages-left', formSession.token, { name: 'Maria Zhangova', email: 'maria@example.test', message: 'Call me back', clientId: 'x1' });
    await expect.poll(() => t.ids(t.acme.agent1.token, 'q=back')).toEqual([left.id]);
    const results = await t.search(t.acme.agent1.token, 'q=zhang');
    expect(results.map((r) => [r.conversation.id, r.nameMatched])).toEqual([
      [left.id, true],
      [named.id, true],
      [mentions.id, false],
    ]);
    expect(await t.ids(t.acme.agent1.token, `q=${encodeURIComponent('张伟')}`)).toEqual([named.id]);
  });

  it('filters mine, unassigned, queue, all and closed; a closed conversation is found with its match', async () => {
    const t = await setup();
    const a = await t.visitor('acme', undefined, 'mine: shipping question');
    const b = await t.visitor('acme', undefined, 'unassigned: shipping question');
    const c = await t.visitor('acme', undefined, 'closed: shipping question');
    await t.ok('POST', `/v1/conversations/${a.id}/claim`, t.acme.agent1.token);
    await t.ok('POST', `/v1/conversations/${c.id}/claim`, t.acme.agent2.token);
    await t.ok('POST', `/v1/conversations/${c.id}/close`, t.acme.agent2.token);
    const token = t.acme.agent1.token;
    await expect.poll(() => t.ids(token, 'filter=closed&q=shipping')).toEqual([c.id]);
    expect(await t.ids(token, 'filter=mine')).toEqual([a.id]);
    expect(await t.ids(token, 'filter=unassigned')).toEqual([b.id]);
    expect(await t.ids(token, 'filter=queue')).toEqual([]);
    expect((await t.ids(token, 'filter=all')).sort()).toEqual([a.id, b.id].sort());
    expect(await t.ids(token, 'filter=closed')).toEqual([c.id]);
    expect(await t.ids(token, 'filter=closed&q=shipping')).toEqual([c.id]);
    expect(await t.ids(token, 'filter=mine&q=shipping')).toEqual([a.id]);
    expect(await t.ids(t.acme.agent2.token, 'filter=mine&q=shipping')).toEqual([]);
    expect((await t.search(token, 'q=shipping')).map((r) => r.conversation.id).sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('a conversation matching many times does not hide older ones: hits are read page after page', async () => {
    const t = await setup();
    const older = await t.visitor('acme', undefined, 'refund for the blue teapot');
    const chatty = await t.visitor('acme', undefined, ...Array.from({ length: 8 }, (_, i) => `refund question ${i}`));
    await expect.poll(() => t.ids(t.acme.agent1.token, 'q=question+7')).toEqual([chatty.id]);
    expect(await t.ids(t.acme.agent1.token, 'q=refund&limit=2')).toEqual([chatty.id, older.id]);
    expect(await t.ids(t.acme.agent1.token, 'q=refund&limit=1')).toEqual([chatty.id]);
  });

  it('staff only: a visitor is refused; bad filters and limits are refused', async () => {
    const t = await setup();
    const v = await t.visitor('acme', undefined, 'hello');
    expect((await api(t.srv.url, 'GET', '/v1/conversations/search?q=hello', { token: v.token })).status).toBe(403);
    expect((await api(t.srv.url, 'GET', '/v1/conversations/search?filter=everything', { token: t.acme.agent1.token })).status).toBe(400);
    expect((await api(t.srv.url, 'GET', '/v1/conversations/search?limit=500', { token: t.acme.agent1.token })).status).toBe(400);
    expect((await api(t.srv.url, 'GET', `/v1/conversations/search?q=${'x'.repeat(201)}`, { token: t.acme.agent1.token })).status).toBe(400);
  });
});
