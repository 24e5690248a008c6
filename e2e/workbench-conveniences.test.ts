import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedApp, startTestServer, type TestServer } from '../apps/server/test/helpers.ts';
import { launchChromium } from './browser.ts';

/**
 * The agent's own tools in the workbench, in Chromium: a reply saved as a personal canned response
 * from the composer, then used with its shortcut; the wrap-up of an ended conversation with the
 * outcomes and tags an admin keeps. Screenshots: e2e/screenshots/conveniences-*.png.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

describe("the agent's conveniences (Chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedApp>>;
  const contexts: BrowserContext[] = [];

  const ok = async (method: string, route: string, body?: unknown, token = seeded.admin.token) => {
    const res = await api(server.url, method, route, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `conveniences-${name}.png`) });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer('sqlite');
    seeded = await seedApp(server, 'acme');
    await ok('PATCH', '/v1/app', { allowedOrigins: [server.url] });
    await ok('POST', '/v1/canned-responses', { shortcut: 'hello', title: 'Greeting', text: 'Hello! How can I help?' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  async function signIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[workbench page error]', err.message));
    await page.goto(`${server.url}/workbench/?appId=acme`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
    return page;
  }

  it('an agent saves a reply as a personal canned response and uses it with its shortcut; another agent does not see it', async () => {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body as { token: string };
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
    await ok('POST', `/v1/conversations/${conversation.id}/claim`, undefined, seeded.agent1.token);

    const ann = await signIn('agent1@acme.test');
    await ann.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    const composer = ann.getByTestId('composer');
    await composer.fill('Your parcel left our warehouse today; tracking follows by email.');
    await ann.getByRole('button', { name: 'My canned responses' }).click();
    const form = ann.getByTestId('my-canned-form');
    await form.getByLabel('Shortcut').fill('shipped');
    await form.getByLabel('Title').fill('Parcel shipped');
    expect(await form.getByLabel('Text').inputValue()).toBe('Your parcel left our warehouse today; tracking follows by email.');
    await form.getByRole('button', { name: 'Save as mine' }).click();
    await expect.poll(() => ann.getByTestId('my-canned').locator('li').allInnerTexts()).toEqual([expect.stringContaining('/shipped')]);
    await shot(ann, 'my-responses');
    await ann.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();

    // Typed after a slash, it is offered beside the team's, marked as the agent's own, and inserted.
    await composer.fill('/s');
    const picker = ann.getByTestId('canned-picker');
    await expect.poll(() => picker.locator('[role=option]').allInnerTexts()).toEqual([expect.stringMatching(/\/shipped[\s\S]*Parcel shipped · Mine/)]);
    await shot(ann, 'picker');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Your parcel left our warehouse today; tracking follows by email.');

    const mine = (await ok('GET', '/v1/canned-responses', undefined, seeded.agent2.token)).cannedResponses as { shortcut: string }[];
    expect(mine.map((c) => c.shortcut)).toEqual(['hello']);
  });

  it('an admin keeps outcomes and tags; the agent wraps up an ended conversation with them; archived ones are not offered', async () => {
    const session = (await api(server.url, 'POST', '/v1/visitor/session', { body: { appId: 'acme' } })).body as { token: string };
    const conversation = (await api(server.url, 'POST', '/v1/conversations', { token: session.token })).body as { id: string };
    await api(server.url, 'POST', `/v1/conversations/${conversation.id}/messages`, { token: session.token, body: { clientId: 'c1', text: 'I was charged twice' } });
    const agent2 = (await api(server.url, 'POST', '/v1/auth/login', { body: { appId: 'acme', email: 'agent2@acme.test', password: PASSWORD } })).body.token as string;
    await ok('POST', `/v1/conversations/${conversation.id}/claim`, undefined, agent2);
    await ok('POST', `/v1/conversations/${conversation.id}/close`, undefined, agent2);
    // The browser logins below replace the seeded sessions: the check at the end reads with an API key.
    const key = (await ok('POST', '/v1/app/api-keys', { name: 'check' })).key as string;

    const admin = await signIn('admin@acme.test');
    await admin.getByRole('link', { name: 'Admin', exact: true }).click();
    await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name: 'Wrap-up', exact: true }).click();
    const labels = admin.getByTestId('wrap-up-labels');
    for (const name of ['Resolved', 'Escalated', 'Refunded']) {
      await labels.getByLabel('New outcome').fill(name);
      await labels.locator('[data-kind="disposition"]').getByRole('button', { name: 'Add' }).click();
      await labels.locator('[data-kind="disposition"] li', { hasText: name }).waitFor();
    }
    for (const name of ['Billing', 'Shipping']) {
      await labels.getByLabel('New tag').fill(name);
      await labels.locator('[data-kind="tag"]').getByRole('button', { name: 'Add' }).click();
      await labels.locator('[data-kind="tag"] li', { hasText: name }).waitFor();
    }
    await labels.getByRole('button', { name: 'Archive Escalated' }).click();
    await labels.getByRole('button', { name: 'Restore Escalated' }).waitFor();
    await shot(admin, 'wrap-up-admin');

    // Bob opens his ended conversation: the wrap-up offers the outcomes in use and the tags.
    const bob = await signIn('agent2@acme.test');
    await bob.locator(`[data-testid="inbox-row"][data-session-id="${conversation.id}"]`).click();
    const panel = bob.getByTestId('wrap-up');
    await panel.waitFor();
    const outcome = panel.getByLabel('Outcome');
    expect(await outcome.locator('option').allTextContents()).toEqual(['Choose an outcome…', 'Refunded', 'Resolved']);
    await outcome.selectOption({ label: 'Refunded' });
    await panel.getByLabel('Billing').check();
    await panel.getByLabel('Wrap-up note').fill('Refunded the duplicate charge');
    await panel.getByRole('button', { name: 'Save wrap-up' }).click();
    await panel.getByText(/^Saved /).waitFor();
    await shot(bob, 'wrap-up-agent');
    const { wrapUp } = await ok('GET', `/v1/conversations/${conversation.id}/wrap-up`, undefined, key);
    expect(wrapUp).toMatchObject({ disposition: { name: 'Refunded' }, tags: [{ name: 'Billing' }], note: 'Refunded the duplicate charge' });
  });
});
