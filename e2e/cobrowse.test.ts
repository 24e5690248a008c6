import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCobrowseFrames, SECRETS, shopPage, startSite } from './cobrowse-pages.ts';
import { useWorkbenchHarness } from './workbench-harness.ts';

/**
 * Co-browsing (SPEC M32) in two Chromium contexts: a visitor on a sample shop (another origin,
 * the real widget) and the agent in the workbench. Consent rejected then accepted; the mirror
 * follows the visitor's typing; password, card and masked values never in any frame on the
 * visitor's socket; annotations on both sides; control only between grant and revocation; a
 * reconnect restores the mirror with a fresh snapshot. Screenshots: `cobrowse-*.png`.
 */
const APP_ID = 'acme';

describe('co-browsing in Chromium', () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  const pages = new Map<string, string>();
  const h = useWorkbenchHarness({
    shots: 'cobrowse',
    widget: true,
    setUp: async ({ server, ok }) => {
      site = await startSite(pages);
      await ok('PATCH', '/v1/app', { allowedOrigins: [site.origin, server.url] });
      await ok('PATCH', '/v1/channels/default', { cobrowse: { maskSelectors: ['.secret-note'] } });
      pages.set('/shop', shopPage(server.url, { 'app-id': APP_ID, 'channel-id': 'default', locale: 'en' }));
    },
  });

  afterAll(async () => {
    await site?.close();
  });

  async function newPage(viewport = { width: 1400, height: 900 }) {
    const context = await h.newContext({ viewport });
    return { page: await context.newPage(), context };
  }
  const widget = (page: Page) => page.locator('frontdesk-widget');
  const mirror = (agent: Page) => agent.frameLocator('[data-testid="cobrowse-mirror"]');

  it('consent, a live mirror, privacy on the wire, annotations, granted control and a reconnect', async () => {
    const { page: visitor, context: visitorContext } = await newPage({ width: 1280, height: 800 });
    const { page: agent } = await newPage();
    // Every frame the visitor's page sends on its WebSocket.
    const sent: string[] = [];
    visitor.on('websocket', (ws) => ws.on('framesent', (frame) => typeof frame.payload === 'string' && sent.push(frame.payload)));

    // Instrumented: the page's sockets, so that the test can cut the widget's connection.
    await visitor.addInitScript(() => {
      const sockets: WebSocket[] = ((window as unknown as { __sockets: WebSocket[] }).__sockets = []);
      const Native = WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      } as typeof WebSocket;
    });
    await visitor.goto(`${site.origin}/shop`);
    await widget(visitor).locator('button.launcher').click();
    const message = widget(visitor).getByRole('textbox', { name: 'Message' });
    await message.fill('Can you help me check out?');
    await message.press('Enter');
    let conversationId = '';
    await expect
      .poll(async () => (conversationId = ((await h.ok('GET', '/v1/conversations?status=open')).conversations as { id: string }[])[0]?.id ?? ''), { timeout: 10_000 })
      .not.toBe('');
    await h.ok('POST', `/v1/conversations/${conversationId}/claim`, undefined, h.seeded.agent1.token);

    // Instrumented: the workbench's hello token, so that the test can open a second socket of the same login.
    await agent.addInitScript(() => {
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
        if (typeof data === 'string' && data.includes('"type":"hello"')) (window as unknown as { __helloToken: string }).__helloToken = (JSON.parse(data) as { token: string }).token;
        return send.call(this, data);
      };
    });
    await h.signIn(agent, `agent1@${APP_ID}.test`);
    await agent.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
    const pane = agent.getByTestId('conversation');

    // 1. The agent proposes; the visitor rejects: nothing of the page is sent.
    await pane.getByTestId('cobrowse-propose').click();
    const consent = widget(visitor).getByTestId('cobrowse-consent');
    await consent.waitFor({ timeout: 10_000 });
    await h.shot(visitor, '1-consent-card');
    await consent.getByRole('button', { name: 'No, thanks' }).click();
    await pane.getByText('The visitor declined the co-browse').waitFor({ timeout: 10_000 });
    expect(decodeCobrowseFrames(sent)).toEqual([]);

    // 2. Proposed again and accepted: the indicator shows in the visitor's page, the mirror in the workbench.
    await pane.getByTestId('cobrowse-propose').click();
    await consent.waitFor({ timeout: 10_000 });
    await consent.getByRole('button', { name: 'Allow' }).click();
    await visitor.locator('frontdesk-cobrowse').waitFor({ state: 'attached', timeout: 10_000 });
    const indicator = await visitor.locator('frontdesk-cobrowse').evaluate((host) => host.shadowRoot?.querySelector('[data-testid="cobrowse-indicator"]')?.textContent ?? '');
    expect(indicator).toContain('Co-browsing on');
    await mirror(agent).getByRole('heading', { name: 'Acme Tea Shop' }).waitFor({ timeout: 10_000 });
    // What DOM mirroring cannot see is a labelled box; blocked content a box without its text.
    expect(await mirror(agent).locator('[data-placeholder="canvas"]').count()).toBe(1);
    expect(await mirror(agent).locator('[data-placeholder="blocked"]').count()).toBe(1);
    expect(await mirror(agent).locator('body').textContent()).not.toContain('Loyalty number');

    // 3. The visitor types into an opted-in field: the mirror shows it within a second.
    await visitor.locator('#name').focus();
    const typedAt = Date.now();
    await visitor.keyboard.type('Ada Lovelace');
    await expect.poll(() => mirror(agent).locator('#name').inputValue(), { timeout: 5000, interval: 20 }).toBe('Ada Lovelace');
    const mirrorLatencyMs = Date.now() - typedAt;
    // The last key reached the mirror within 1 s of being typed (typing itself takes a while).
    expect(mirrorLatencyMs).toBeLessThan(1000 + 'Ada Lovelace'.length * 50);

    // 4. A DOM change of the page shows live.
    await visitor.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'live-note';
      p.textContent = 'Order #1042 confirmed';
      document.querySelector('main section')!.append(p);
    });
    await mirror(agent).getByText('Order #1042 confirmed').waitFor({ timeout: 2000 });

    // 5. Password, card, security code, a masked field, an email (masked by default): never on the wire.
    await visitor.locator('#email').fill(SECRETS.email);
    await visitor.locator('#password').fill(SECRETS.password);
    await visitor.locator('#card').fill(SECRETS.card);
    await visitor.locator('#cvc').fill(SECRETS.cvc);
    await visitor.locator('#address').fill(SECRETS.masked);
    await expect.poll(() => mirror(agent).locator('#email').inputValue(), { timeout: 5000 }).toMatch(/^•+$/);
    await h.shot(agent, '2-agent-mirror');
    await h.shot(visitor, '3-visitor-page');

    // 6. Annotations: the agent's pen shows in the visitor's page (and fades there).
    await pane.locator('[data-tool="pen"]').click();
    const stage = pane.getByTestId('cobrowse-stage');
    const box = (await stage.boundingBox())!;
    await agent.mouse.move(box.x + 60, box.y + 60);
    await agent.mouse.down();
    for (let i = 1; i <= 10; i++) await agent.mouse.move(box.x + 60 + i * 15, box.y + 60 + i * 5);
    await agent.mouse.up();
    await expect.poll(() => visitor.locator('frontdesk-cobrowse').evaluate((host) => host.shadowRoot?.querySelectorAll('[data-annotation="pen"]').length ?? 0), { timeout: 5000 }).toBe(1);
    expect(await pane.locator('[data-annotation="pen"]').count()).toBe(1);
    await h.shot(visitor, '4-visitor-annotation');

    // 7. Control: a second socket of the agent (the same login) sends clicks on "Add to cart".
    const addId = await mirrorNodeId(agent, '#add');
    const wsUrl = `${h.server.url.replace(/^http/, 'ws')}/v1/ws?appId=${APP_ID}`;
    const session = (await h.ok('GET', `/v1/conversations/${conversationId}/cobrowse`)).sessions.at(-1) as { id: string };
    await agent.evaluate(
      async ({ wsUrl, sessionId }) => {
        const token = (window as unknown as { __helloToken: string }).__helloToken;
        const ws = new WebSocket(wsUrl);
        await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
        ws.send(JSON.stringify({ type: 'hello', id: 'h', token }));
        await new Promise((resolve) => ws.addEventListener('message', resolve, { once: true }));
        (window as unknown as { injectClick: (nodeId: number) => void }).injectClick = (nodeId) => ws.send(JSON.stringify({ type: 'cobrowse.input', sessionId, input: { kind: 'click', nodeId } }));
      },
      { wsUrl, sessionId: session.id },
    );
    const injectClick = () => agent.evaluate((id) => (window as unknown as { injectClick: (nodeId: number) => void }).injectClick(id), addId);
    const cartCount = () => visitor.locator('#cart-count').textContent();
    await injectClick();
    await visitor.waitForTimeout(500);
    expect(await cartCount()).toBe('0');

    await pane.getByTestId('cobrowse-request-control').click();
    const request = widget(visitor).getByTestId('cobrowse-control-request');
    await request.waitFor({ timeout: 10_000 });
    await request.getByRole('button', { name: 'Allow control' }).click();
    await pane.locator('[data-tool="control"]').waitFor({ timeout: 10_000 });
    await injectClick();
    await expect.poll(cartCount, { timeout: 5000 }).toBe('1');
    // Through the workbench itself: the Control tool clicks the mirrored button.
    await pane.locator('[data-tool="control"]').click();
    await clickInMirror(agent, '#add');
    await expect.poll(cartCount, { timeout: 5000 }).toBe('2');
    // Typing into an opted-in field: the agent clicks it in the mirror and types.
    await clickInMirror(agent, '#name');
    await agent.keyboard.type(' Jr');
    await expect.poll(() => visitor.locator('#name').inputValue(), { timeout: 5000 }).toBe('Ada Lovelace Jr');
    // Never into a masked field: the click focuses nothing the agent may type into.
    await clickInMirror(agent, '#address');
    await agent.keyboard.type('X');
    await visitor.waitForTimeout(300);
    expect(await visitor.locator('#address').inputValue()).toBe(SECRETS.masked);
    await h.shot(agent, '5-agent-control');
    // Revoked from the visitor's page bar: at once, nothing passes any more.
    await visitor.locator('frontdesk-cobrowse').evaluate((host) => (host.shadowRoot?.querySelector('.bar button') as HTMLButtonElement).click());
    await pane.locator('[data-tool="control"]').waitFor({ state: 'detached', timeout: 10_000 });
    await injectClick();
    await visitor.waitForTimeout(500);
    expect(await cartCount()).toBe('2');

    // 8. The visitor's connection drops; the page changes meanwhile; back online, a fresh snapshot restores the mirror.
    const epochsBefore = new Set(decodeCobrowseFrames(sent).map((b) => b.epoch));
    await visitorContext.setOffline(true);
    await visitor.evaluate(() => {
      for (const ws of (window as unknown as { __sockets: WebSocket[] }).__sockets) ws.close(3000, 'network lost');
      document.querySelector('#live-note')!.textContent = 'Changed while offline';
    });
    await visitor.waitForTimeout(500);
    await visitorContext.setOffline(false);
    await mirror(agent).getByText('Changed while offline').waitFor({ timeout: 20_000 });
    const snapshots = decodeCobrowseFrames(sent).filter((b) => b.kind === 'snapshot');
    expect(Math.max(...snapshots.map((b) => b.epoch))).toBeGreaterThan(Math.max(...epochsBefore));

    // The wire, every frame the visitor's page sent (decoded): no secret, no masked or blocked text.
    const batches = decodeCobrowseFrames(sent);
    expect(batches.length).toBeGreaterThan(5);
    const wire = [...sent, ...batches.map((b) => b.json)].join('\n');
    for (const secret of [SECRETS.password, SECRETS.card, SECRETS.card.replace(/ /g, ''), SECRETS.masked, SECRETS.email, SECRETS.note, 'Loyalty number']) {
      expect(wire.includes(secret), `"${secret}" on the wire`).toBe(false);
    }
    expect(wire).toContain('Ada Lovelace');
    expect(wire).not.toMatch(/"value":"737"/);

    // 9. Either side ends it: the agent here; the indicator goes from the visitor's page.
    await pane.getByTestId('cobrowse-end').click();
    await visitor.locator('frontdesk-cobrowse').waitFor({ state: 'detached', timeout: 10_000 });
    await widget(visitor).getByText('Screen sharing ended').waitFor({ timeout: 10_000 });
    await h.shot(visitor, '6-ended');
  });

  /** The capture's node id of an element of the visitor's page, as the agent's mirror carries it. */
  async function mirrorNodeId(agent: Page, selector: string): Promise<number> {
    return Number(await mirror(agent).locator(selector).getAttribute('data-frontdesk-node'));
  }

  async function clickInMirror(agent: Page, selector: string): Promise<void> {
    const frameBox = (await agent.locator('[data-testid="cobrowse-mirror"]').boundingBox())!;
    const rect = await agent.evaluate((sel) => {
      const frame = document.querySelector('[data-testid="cobrowse-mirror"]') as HTMLIFrameElement;
      const r = frame.contentDocument!.querySelector(sel)!.getBoundingClientRect();
      const scale = frame.getBoundingClientRect().width / frame.offsetWidth;
      return { x: (r.x + r.width / 2) * scale, y: (r.y + r.height / 2) * scale };
    }, selector);
    await agent.mouse.click(frameBox.x + rect.x, frameBox.y + rect.y);
  }
});
