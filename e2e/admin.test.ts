import { fieldErrorsOf } from '@frontdesk/sdk-agent';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { api, newVisitor, seedApp, TestClient } from '../apps/server/test/helpers.ts';
import { PASSWORD, signInTypingApp, signInWorkbench, useWorkbenchHarness } from './workbench-harness.ts';

/** Signs in typing the app id, then opens the admin console. */
async function signIn(page: Page, baseUrl: string, appId: string, email: string) {
  await signInTypingApp(page, baseUrl, appId, email);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
}

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name, exact: true }).click();

describe('admin console in Chromium', () => {
  // NOTE: each test seeds an app of its own (adm, adm2…); the harness's acme is not used.
  const h = useWorkbenchHarness({ shots: 'admin', env: { FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  const sockets: TestClient[] = [];

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('an admin creates a queue with an invalid field (error shown), then a valid one, and routing uses it', async () => {
    const appId = 'adm';
    const seeded = await seedApp(h.server, appId);
    await h.server.app.services.tenancy.updateApp(appId, { allowedOrigins: [h.server.url] });
    // The admin's browser login replaces their earlier session: the test reads with an API key.
    const admin = (await h.server.app.services.tenancy.createApiKey(appId, 'e2e')).key;
    const page = await h.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, h.server.url, appId, `admin@${appId}.test`);

    // Queues is the first page: a queue with a max wait out of range is refused next to the field.
    await tab(page, 'Queues');
    await page.getByRole('button', { name: 'New queue' }).click();
    const form = page.getByRole('form', { name: 'New queue' });
    // Overflow and escalation (the occupancy formula) are folded under Advanced until opened.
    expect(await form.getByRole('group', { name: 'Overflow', exact: true }).isVisible()).toBe(false);
    await form.getByText('Advanced: overflow and escalation').click();
    await form.getByRole('group', { name: 'Overflow', exact: true }).waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Sales');
    const maxWait = form.getByLabel('Max wait (s)');
    await maxWait.fill('70000');
    await form.getByRole('button', { name: 'Create queue' }).click();
    await expect.poll(() => maxWait.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await maxWait.getAttribute('aria-describedby'))!.split(' ');
    const errorText = await page.locator(`[id="${describedBy.at(-1)}"]`).textContent();
    expect(errorText).toMatch(/60000/);
    await h.shot(page, '1-queue-invalid', { fullPage: true });
    expect((await api(h.server.url, 'GET', '/v1/queues', { token: admin })).body.queues).toHaveLength(0);

    // Fixed, with a wrap-up that is rounded up and a release on wait timeout: created.
    await maxWait.fill('120');
    await form.getByLabel('Wrap-up (s)').fill('12');
    await form.locator('select[name="overflow.waitTimeout.action"]').selectOption('release');
    await form.locator('input[name="overflow.waitTimeout.message"]').fill('Sorry, everyone is busy. Please come back later.');
    await h.shot(page, '2-queue-form', { fullPage: true });
    await form.getByRole('button', { name: 'Create queue' }).click();
    await page.getByRole('cell', { name: 'Sales', exact: true }).waitFor();
    const [queue] = (await api(h.server.url, 'GET', '/v1/queues', { token: admin })).body.queues;
    expect(queue).toMatchObject({ name: 'Sales', maxWaitSeconds: 120, wrapUpSeconds: 15, overflow: { waitTimeout: { action: 'release' } } });
    await h.shot(page, '3-queues', { fullPage: true });

    // agent1 gets the skill.
    await tab(page, 'Agents');
    await page.getByRole('button', { name: `Skills of agent1@${appId}.test` }).click();
    const skills = page.getByRole('form', { name: `Skills of agent1@${appId}.test` });
    await skills.getByLabel('Sales').check();
    await h.shot(page, '4-skills', { fullPage: true });
    await skills.getByRole('button', { name: 'Save skills' }).click();
    await expect.poll(async () => (await api(h.server.url, 'GET', `/v1/agents/${seeded.agent1.agent.id}/skills`, { token: admin })).body.skills).toEqual([{ queueId: queue.id, level: 3, isDefault: true }]);
    // The Agents table sums up each agent's skills: queue names with the level.
    await expect.poll(() => page.getByRole('row').filter({ hasText: `agent1@${appId}.test` }).getByTestId('skills-summary').textContent()).toBe('Sales · 3 (default)');
    await h.shot(page, '5-agents', { fullPage: true });

    // The default channel sends conversations to Sales.
    await tab(page, 'Channels');
    const channelForm = page.getByRole('form', { name: /Settings of channel/ });
    await channelForm.locator('select[name="queueId"]').selectOption(queue.id);
    await channelForm.getByRole('button', { name: 'Save channel' }).click();
    await expect.poll(async () => (await api(h.server.url, 'GET', '/v1/channels/default', { token: admin })).body.queueId).toBe(queue.id);
    await h.shot(page, '6-channel', { fullPage: true });

    // Routing uses it: a visitor of the channel is queued in Sales and offered to agent1.
    const agentSocket = await TestClient.connect(h.server.wsUrl(appId));
    sockets.push(agentSocket);
    expect((await agentSocket.request({ type: 'hello', token: seeded.agent1.token })).ok).toBe(true);
    expect((await agentSocket.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
    const session = (await api(h.server.url, 'POST', '/v1/visitor/session', { body: { appId } })).body;
    const conversation = (await api(h.server.url, 'POST', '/v1/conversations', { token: session.token })).body;
    expect(conversation.queueId).toBe(queue.id);
    await agentSocket.waitFor(() => agentSocket.events.some((e) => e.type === 'offer' && e.conversationId === conversation.id), 10_000);

    // The server's own refusal shows on the page: a queue a channel uses cannot be deleted.
    await tab(page, 'Queues');
    await page.getByRole('button', { name: 'Delete Sales' }).click();
    await page.getByRole('alert').filter({ hasText: 'Cannot delete Sales' }).waitFor();
    await h.shot(page, '7-queue-in-use', { fullPage: true });
    await page.close();
  });

  it('shows the other pages: app secrets once, areas, webhooks with their delivery log, try it', async () => {
    const appId = 'adm2';
    await seedApp(h.server, appId);
    await h.server.app.services.tenancy.updateApp(appId, { allowedOrigins: [h.server.url] });
    const apiKey = (await h.server.app.services.tenancy.createApiKey(appId, 'e2e')).key;
    const page = await h.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: 'America/Sao_Paulo' });
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, h.server.url, appId, `admin@${appId}.test`);

    await tab(page, 'App');
    // The VTC and AnyChat secrets are under Integrations, folded.
    expect(await page.getByRole('button', { name: 'Rotate Gateway secret' }).isVisible()).toBe(false);
    await page.getByText('Integrations: VTC and AnyChat secrets').click();
    await page.getByRole('button', { name: 'Rotate Gateway secret' }).click();
    const secret = await page.getByTestId('secret-value').textContent();
    expect(secret).toMatch(/\S{16,}/);
    expect(await h.server.app.services.tenancy.gatewaySecretOf(appId)).toBe(secret);
    await h.shot(page, '8-app', { fullPage: true });

    await tab(page, 'Areas & groups');
    await page.getByLabel('New area name').fill('Shanghai hall');
    await page.getByRole('button', { name: 'Add area' }).click();
    await page.getByRole('cell', { name: 'Shanghai hall', exact: true }).waitFor();
    await h.shot(page, '9-areas', { fullPage: true });

    await tab(page, 'Webhooks');
    await page.getByRole('button', { name: 'New subscription' }).click();
    const hook = page.getByRole('form', { name: 'New webhook subscription' });
    await hook.getByLabel('Receiver URL').fill('not a url');
    await hook.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => hook.getByLabel('Receiver URL').getAttribute('aria-invalid')).toBe('true');
    // Port 9 (discard) on loopback: nothing listens, so every attempt fails and is logged.
    await hook.getByLabel('Receiver URL').fill('http://127.0.0.1:9/hook');
    await hook.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByTestId('secret-value').textContent()).toMatch(/^whsec_/);
    // An event for the log: a visitor opens a conversation. Its delivery is listed once queued, and its
    // attempt count shows once the first attempt has failed; refresh until both are there.
    const session = (await api(h.server.url, 'POST', '/v1/visitor/session', { body: { appId } })).body;
    await api(h.server.url, 'POST', '/v1/conversations', { token: session.token });
    const failedAttempts = page.getByRole('button', { name: /^[1-9]\d* / });
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          const listed = await page.getByRole('button', { name: /^Replay conversation\.created/ }).count();
          return listed > 0 && (await failedAttempts.count()) > 0;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await h.shot(page, '10-webhooks', { fullPage: true });

    // The attempt log of a failed delivery.
    await failedAttempts.first().click();
    await page.getByText(/error: /).first().waitFor();
    await h.shot(page, '10b-delivery-attempts', { fullPage: true });

    // Try it: the channel's widget on a sample page; opening it starts a visitor conversation.
    await tab(page, 'Try it');
    const frame = page.frameLocator('iframe.fd-admin-tryit');
    await frame.getByRole('heading', { name: 'Your page' }).waitFor();
    await frame.getByRole('button', { name: 'Chat with us' }).click();
    await expect
      .poll(async () => (await api(h.server.url, 'GET', '/v1/conversations?status=open', { token: apiKey })).body.conversations.length, { timeout: 10_000 })
      .toBe(2);
    await page.locator('iframe.fd-admin-tryit').scrollIntoViewIfNeeded();
    await h.shot(page, '11-try-it', { fullPage: true });

    await tab(page, 'Channels');
    const channel = page.getByRole('form', { name: /Settings of channel/ });
    await channel.waitFor();
    await h.shot(page, '12-channels', { fullPage: true });
    // Working hours with an overlapping period are refused next to the period; then saved.
    await channel.getByLabel('This channel has working hours').check();
    // New working hours start in the browser's time zone.
    expect(await channel.getByLabel('Time zone (IANA)').inputValue()).toBe('America/Sao_Paulo');
    const workday = channel.getByRole('group', { name: 'Workday periods', exact: true });
    await workday.getByRole('button', { name: 'Add a period' }).click();
    await workday.getByLabel('From (2)').fill('10:00');
    await channel.getByRole('button', { name: 'Save channel' }).click();
    await expect.poll(() => workday.getByLabel('From (2)').getAttribute('aria-invalid')).toBe('true');
    await h.shot(page, '13-channel-hours-invalid', { fullPage: true });
    await workday.getByLabel('From (2)').fill('19:00');
    await workday.getByLabel('To (2)').fill('21:00');
    expect(await channel.getByLabel('Identity mode').isVisible()).toBe(false);
    await channel.getByText('Advanced: signed-in visitors').click();
    await channel.getByLabel('Identity mode').selectOption('hmac');
    await channel.getByRole('button', { name: 'Save channel' }).click();
    await expect
      .poll(async () => (await api(h.server.url, 'GET', '/v1/channels/default', { token: apiKey })).body)
      .toMatchObject({ hours: { workdayPeriods: [{ start: '09:00', end: '18:00' }, { start: '19:00', end: '21:00' }] }, identity: { mode: 'hmac' } });
    await channel.getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => channel.getByTestId('secret-value').textContent()).toMatch(/\S{16,}/);
    await h.shot(page, '14-channel-identity', { fullPage: true });
    await page.close();
  });

  it('an admin manages canned responses (a taken shortcut is refused on its field), and an agent inserts one with /shortcut', async () => {
    const appId = 'adm4';
    const seeded = await seedApp(h.server, appId);
    await h.server.app.services.tenancy.updateApp(appId, { allowedOrigins: [h.server.url] });
    const apiKey = (await h.server.app.services.tenancy.createApiKey(appId, 'e2e')).key;
    await api(h.server.url, 'POST', '/v1/canned-responses', { token: apiKey, body: { shortcut: 'hello', title: 'Greeting', text: 'Hello! How can I help you today?' } });
    const page = await h.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, h.server.url, appId, `admin@${appId}.test`);

    // A new response reusing a shortcut (in another case): the 409 shows on the shortcut field.
    await tab(page, 'Canned responses');
    await page.getByRole('cell', { name: '/hello', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New response' }).click();
    const form = page.getByRole('form', { name: 'New canned response' });
    const shortcut = form.getByLabel('Shortcut');
    await shortcut.fill('Hello');
    await form.getByLabel('Title').fill('Refunds');
    await form.getByLabel('Text').fill('Refunds take 5 days.\nWe will email you when it is done.');
    await form.getByRole('button', { name: 'Create response' }).click();
    await expect.poll(() => shortcut.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await shortcut.getAttribute('aria-describedby'))!.split(' ');
    expect(await page.locator(`[id="${describedBy.at(-1)}"]`).textContent()).toMatch(/\/hello is taken/);
    await h.shot(page, '15-canned', { fullPage: true });

    // Another shortcut: created; then its text is edited.
    await shortcut.fill('refund');
    await form.getByRole('button', { name: 'Create response' }).click();
    await page.getByRole('button', { name: 'Edit /refund' }).click();
    const edit = page.getByRole('form', { name: 'Edit canned response /refund' });
    await edit.getByLabel('Text').fill('Refunds take 5 working days. <b>We</b> will email you.');
    await edit.getByRole('button', { name: 'Save response' }).click();
    await page.getByRole('cell', { name: /5 working days/ }).waitFor();
    const saved = (await api(h.server.url, 'GET', '/v1/canned-responses', { token: apiKey })).body.cannedResponses;
    expect(saved.map((r: { shortcut: string; text: string }) => [r.shortcut, r.text])).toEqual([
      ['hello', 'Hello! How can I help you today?'],
      ['refund', 'Refunds take 5 working days. <b>We</b> will email you.'],
    ]);
    expect(await page.locator('.fd-admin-canned b').count()).toBe(0);
    await h.shot(page, '16-canned-list', { fullPage: true });
    await page.close();

    // An agent with a conversation types /ref in the composer and gets the edited text.
    const { conversationId } = await newVisitor(h.server, appId);
    expect((await api(h.server.url, 'POST', `/v1/conversations/${conversationId}/claim`, { token: seeded.agent1.token })).status).toBe(200);
    const agent = await h.newPage({ viewport: { width: 1280, height: 800 } });
    await signInWorkbench(agent, h.server.url, `agent1@${appId}.test`, appId);
    await agent.locator(`[data-testid="inbox-row"][data-session-id="${conversationId}"]`).click();
    const composer = agent.getByTestId('conversation').getByTestId('composer');
    await composer.pressSequentially('/ref');
    await agent.getByTestId('canned-picker').getByText('/refund').waitFor();
    await h.shot(agent, '17-canned-composer');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Refunds take 5 working days. <b>We</b> will email you.');
    await agent.close();
  });

  it('maps a validation error of the server to the field it names', async () => {
    const seeded = await seedApp(h.server, 'adm3');
    const res = await api(h.server.url, 'POST', '/v1/queues', { token: seeded.admin.token, body: { name: 'X', maxWaitSeconds: 0, overflow: { waitTimeout: { action: 'transfer' } } } });
    expect(res.status).toBe(400);
    const errors = fieldErrorsOf(res.body.error.message);
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['maxWaitSeconds', 'overflow.waitTimeout.toQueueId']));
  });

  it('a workbench opened at an address the app does not allow says so at sign-in instead of spinning; once allowed, it signs in', async () => {
    const appId = 'adm5';
    await seedApp(h.server, appId);
    const page = await h.newPage();
    await signInTypingApp(page, h.server.url, appId, `agent1@${appId}.test`);
    await page.getByText('the server refused the live connection from this address').waitFor({ timeout: 40_000 });
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);

    await h.server.app.services.tenancy.updateApp(appId, { allowedOrigins: [h.server.url] });
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('agent-status').waitFor();
  });
});
