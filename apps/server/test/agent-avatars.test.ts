import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_1X1 } from './channel-fakes.ts';
import { api, newVisitor, seedApp, STORAGES, startTestServer, type TestServer } from './helpers.ts';

describe.each(STORAGES)('agent avatars (%s)', (storage) => {
  let server: TestServer;
  let acme: Awaited<ReturnType<typeof seedApp>>;
  let globex: Awaited<ReturnType<typeof seedApp>>;

  beforeAll(async () => {
    server = await startTestServer(storage);
    acme = await seedApp(server, 'acme');
    globex = await seedApp(server, 'globex');
  });
  afterAll(() => server?.close());

  const put = (agentId: string, token: string, body: Uint8Array, type = 'image/png') =>
    fetch(`${server.url}/v1/agents/${agentId}/avatar`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(body) });

  it('an agent sets its avatar; visitors of its conversations get its path and anyone the image; SVG, text and large files are refused', async () => {
    const png = PNG_1X1;
    const set = await put(acme.agent1.agent.id, acme.agent1.token, png);
    expect(set.status).toBe(200);
    const { avatarUrl } = (await set.json()) as { avatarUrl: string };
    expect(avatarUrl).toMatch(new RegExp(`^/v1/avatars/acme/${acme.agent1.agent.id}\\?v=\\d+$`));

    const image = await fetch(server.url + avatarUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(png);

    const v = await newVisitor(server, 'acme');
    await api(server.url, 'POST', `/v1/conversations/${v.conversationId}/claim`, { token: acme.agent1.token });
    const seen = await api(server.url, 'GET', `/v1/conversations/${v.conversationId}/agents/${acme.agent1.agent.id}`, { token: v.token });
    expect(seen.body).toEqual({ id: acme.agent1.agent.id, name: 'agent1', avatarUrl });
    expect((await api(server.url, 'GET', `/v1/agents/${acme.agent1.agent.id}/avatar`, { token: acme.agent2.token })).body).toEqual({ avatarUrl });

    const svg = await put(acme.agent1.agent.id, acme.agent1.token, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml');
    expect(svg.status).toBe(415);
    expect(((await svg.json()) as { error: { code: string } }).error.code).toBe('FD_FILE_TYPE_NOT_ALLOWED');
    const large = await put(acme.agent1.agent.id, acme.agent1.token, Buffer.concat([png, Buffer.alloc(210 * 1024)]));
    expect(large.status).toBe(413);
    // The stored image is still the PNG.
    expect(Buffer.from(await (await fetch(server.url + avatarUrl)).arrayBuffer())).toEqual(png);
  });

  it("only the agent or an admin changes an agent's avatar; another app's agents are not found", async () => {
    const png = PNG_1X1;
    expect((await put(acme.agent1.agent.id, acme.agent2.token, png)).status).toBe(403);
    expect((await put(acme.agent2.agent.id, acme.admin.token, png)).status).toBe(200);
    expect((await put(acme.agent2.agent.id, globex.admin.token, png)).status).toBe(404);
    const v = await newVisitor(server, 'acme');
    expect((await put(acme.agent2.agent.id, v.token, png)).status).toBe(403);
    const removed = await api(server.url, 'DELETE', `/v1/agents/${acme.agent2.agent.id}/avatar`, { token: acme.agent2.token });
    expect(removed.body).toEqual({ avatarUrl: null });
    expect((await fetch(`${server.url}/v1/avatars/acme/${acme.agent2.agent.id}`)).status).toBe(404);
  });
});
