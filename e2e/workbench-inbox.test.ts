import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * The agent's inbox and conversation pane in Chromium, as an agent meets them through a day: a
 * ringing chat already shows what the visitor writes, drafts survive switching, links open,
 * images enlarge, mixed Arabic and English keep their order, a rating after the end shows at
 * once (and an unrated chat asks without a 404), and ended chats stay listed across a new
 * login until closed. Screenshots: e2e/screenshots/inbox-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

/** A PNG of one colour, made here (the server checks a file's type from its bytes). */
function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => [r, g, b][i % 3]!)]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

describe('the inbox and conversation pane (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, 'acme');
    const ok = async (method: string, route: string, body?: unknown) => {
      const res = await api(server.url, method, route, { token: seeded.admin.token, body });
      if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await ok('PATCH', '/v1/app', { allowedOrigins: [server.url] });
    await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
    const queue = await ok('POST', '/v1/queues', { name: 'Support', ringTimeoutSeconds: 120, wrapUpSeconds: 0 });
    await ok('PUT', `/v1/agents/${seeded.agent1.agent.id}/skills`, { skills: [{ queueId: queue.id, level: 3, isDefault: true }] });
    await ok('PATCH', '/v1/channels/default', { queueId: queue.id });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `inbox-${name}.png`) });

  async function signIn(page: Page, email: string) {
    await page.goto(`${server.url}/workbench/?appId=acme`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
  }

  async function signOut(page: Page) {
    await page.getByTestId('sign-out').click();
    await page.getByText('You are signed out.').waitFor();
  }

  /** A visitor driven through the REST API. */
  async function restVisitor(name: string) {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme', name } })).body as { token: string };
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
    let n = 0;
    const must = async (what: string, res: { status: number; body: unknown }) => {
      if (res.status >= 300) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
    };
    return {
      conversationId: conversation.id,
      say: async (text: string) => must('send', await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: session.token, body: { clientId: `c${++n}`, text } })),
      rate: async (stars: number, comment: string) => must('rate', await api(server.url, 'PUT', `/v1/conversations/${conversation.id}/rating`, { token: session.token, body: { stars, comment } })),
      sendFile: async (fileName: string, bytes: Buffer, type: string) => {
        const res = await fetch(`${server.url}/v1/conversations/${conversation.id}/files?name=${encodeURIComponent(fileName)}&clientId=f${++n}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.token}`, 'content-type': type },
          body: new Uint8Array(bytes),
        });
        if (res.status >= 300) throw new Error(`upload → ${res.status} ${await res.text()}`);
      },
    };
  }

  it("an agent's day in the inbox: live previews of ringing chats, drafts, links, images, mixed directions, a late rating, ended chats kept across logins", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const ann = await context.newPage();
    ann.on('pageerror', (err) => console.error('[page error]', err.message));
    const notFound: string[] = [];
    ann.on('response', (response) => response.status() === 404 && notFound.push(new URL(response.url()).pathname));
    await signIn(ann, 'agent1@acme.test');
    await ann.locator('#wb-status-select').selectOption('free');
    await expect.poll(() => ann.getByTestId('agent-status').textContent()).toContain('Available');
    const row = (id: string) => ann.locator(`[data-testid="inbox-row"][data-session-id="${id}"]`);
    const preview = (id: string) => row(id).locator('.wb-inbox-row__preview');
    try {
      // A chat rings: what the visitor writes shows in its row, with the unread count, before Ann takes it.
      const grace = await restVisitor('Grace');
      await row(grace.conversationId).waitFor({ timeout: 15_000 });
      await grace.say('Is my parcel lost?');
      await expect.poll(() => preview(grace.conversationId).textContent()).toBe('Is my parcel lost?');
      await expect.poll(() => row(grace.conversationId).getByTestId('unread-count').textContent()).toBe('1');
      await grace.say('It was due on Monday.');
      await expect.poll(() => preview(grace.conversationId).textContent()).toBe('It was due on Monday.');
      await expect.poll(() => row(grace.conversationId).getByTestId('unread-count').textContent()).toBe('2');
      expect(await row(grace.conversationId).textContent()).toContain('Ringing');
      await shot(ann, 'ringing-preview');
      await ann.getByTestId('offer').getByRole('button', { name: 'Accept' }).click();
      const pane = ann.getByTestId('conversation');
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(grace.conversationId);

      // A second chat; a reply half written to Grace survives a look at Hugo's and back.
      const hugo = await restVisitor('Hugo');
      await hugo.say('Hello, do you sell gift cards?');
      await expect.poll(() => preview(hugo.conversationId).textContent()).toBe('Hello, do you sell gift cards?');
      await ann.getByTestId('offer').getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(hugo.conversationId);
      await row(grace.conversationId).click();
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(grace.conversationId);
      await pane.getByTestId('composer').fill('Your parcel left our depot on');
      await row(hugo.conversationId).click();
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(hugo.conversationId);
      expect(await pane.getByTestId('composer').inputValue()).toBe('');
      await row(grace.conversationId).click();
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(grace.conversationId);
      await expect.poll(() => pane.getByTestId('composer').inputValue()).toBe('Your parcel left our depot on');

      // Links open in a new tab (http(s) only, no opener, no referrer); text stays text.
      const tracking = 'Tracking: http://127.0.0.1:9/track?id=42, or javascript:alert(1) <b>bold</b>';
      await grace.say(tracking);
      const trackingText = pane.getByTestId('message-text').filter({ hasText: 'Tracking:' });
      await trackingText.waitFor();
      expect(await trackingText.textContent()).toBe(tracking);
      expect(await trackingText.locator('a').evaluateAll((links) => links.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target'), text: a.textContent })))).toEqual([
        { href: 'http://127.0.0.1:9/track?id=42', rel: 'noopener noreferrer', target: '_blank', text: 'http://127.0.0.1:9/track?id=42' },
      ]);
      expect(await trackingText.locator('b').count()).toBe(0);

      // Arabic with Latin words and numbers keeps its own direction and order in the bubble.
      const arabic = 'طلبي رقم ABC-1234 لم يصل بعد';
      await grace.say(arabic);
      const arabicText = pane.getByTestId('message-text').filter({ hasText: 'ABC-1234' });
      await arabicText.waitFor();
      expect(await arabicText.getAttribute('dir')).toBe('auto');
      expect(await arabicText.evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
      expect(await trackingText.evaluate((el) => el.matches(':dir(ltr)'))).toBe(true);

      // An image opens full size in a lightbox.
      await grace.sendFile('parcel.png', solidPng(480, 320, [14, 116, 144]), 'image/png');
      const thumbnail = pane.getByTestId('image-open');
      await thumbnail.waitFor();
      await thumbnail.click();
      const lightbox = ann.getByRole('dialog', { name: 'parcel.png' });
      await lightbox.waitFor();
      await expect.poll(() => lightbox.getByTestId('lightbox-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(480);
      expect((await lightbox.getByTestId('lightbox-image').boundingBox())!.width).toBeGreaterThan(400);
      await shot(ann, 'image-lightbox');
      await ann.keyboard.press('Escape');
      await expect.poll(() => lightbox.isVisible()).toBe(false);
      await shot(ann, 'conversation');

      // Ann ends the chat; Grace rates it afterwards: the rating shows at once in the open pane.
      await pane.getByTestId('end').click();
      await ann.getByTestId('end-confirm').click();
      await expect.poll(() => pane.textContent()).toContain('This conversation has ended');
      expect(await pane.getByTestId('csat').textContent()).toContain('Not rated yet.');
      await grace.rate(4, 'Found it, thanks!');
      await expect.poll(() => pane.getByTestId('csat').textContent(), { timeout: 5_000 }).toContain('Found it, thanks!');
      // Read while open, the end notice included.
      await expect.poll(() => row(grace.conversationId).getByTestId('unread-count').count()).toBe(0);
      expect(await pane.getByTestId('csat').locator('[aria-label="4 of 5 stars"]').count()).toBe(1);
      await shot(ann, 'rated-after-end');
      // No read of a rating answered 404 (an unrated chat is not an error).
      expect(notFound.filter((p) => p.includes('rating'))).toEqual([]);

      // A new login: the ended chat is still listed (until closed), beside the open one.
      await signOut(ann);
      await signIn(ann, 'agent1@acme.test');
      await row(grace.conversationId).waitFor({ timeout: 10_000 });
      expect(await row(grace.conversationId).textContent()).toContain('Ended');
      await expect.poll(() => preview(grace.conversationId).textContent()).toBe('The agent ended the chat');
      await row(hugo.conversationId).waitFor();
      await shot(ann, 'after-relogin');
      await row(grace.conversationId).click();
      await expect.poll(() => pane.getByTestId('csat').textContent()).toContain('Found it, thanks!');
      await ann.getByTestId('dismiss').click();
      await expect.poll(() => row(grace.conversationId).count()).toBe(0);
      await signOut(ann);
      await signIn(ann, 'agent1@acme.test');
      await row(hugo.conversationId).waitFor({ timeout: 10_000 });
      expect(await row(grace.conversationId).count()).toBe(0);
    } catch (err) {
      await shot(ann, 'failure').catch(() => undefined);
      throw err;
    }
  });
});
