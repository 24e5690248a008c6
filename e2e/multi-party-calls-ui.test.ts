import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FakeMediaServer } from '../apps/server/src/modules/calls/index.ts';
import { useWorkbenchHarness } from './workbench-harness.ts';

/** Polls until the expectation holds, for up to 10 s (the browsers and the server share 2 cores with other test files). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

/**
 * Multi-party calls in the workbench and the widget (Chromium, the real server with the in-memory
 * media server: calls ring, are answered and left as with Janus, no media flows; the media test with
 * Janus proves the pictures). Ann adds Bob from "Add participant"; Bob accepts from his card; each
 * workbench shows two remote tiles; Bob leaves and Ann is back to one; Bob declines a second invite;
 * a second visitor of Ann's accepts in the widget and sees the other two as a grid; Bob joins
 * again and Ann's hang-up ends the call in his window too.
 * Screenshots: e2e/screenshots/multi-party-*.png.
 */
describe('multi-party calls in Chromium (in-memory media server)', () => {
  const media = new FakeMediaServer();
  const h = useWorkbenchHarness({
    shots: 'multi-party',
    widget: true,
    overrides: { media },
    setUp: async ({ ok, seeded }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent', mediaTypes: ['chat', 'audio', 'video'] });
      await ok('PATCH', `/v1/agents/${seeded.agent2.agent.id}`, { name: 'Bob Agent', mediaTypes: ['chat', 'audio', 'video'] });
      await ok('PATCH', '/v1/channels/default', { calls: { audio: true, video: true } });
    },
  });

  const widgetCall = (page: Page): Locator => page.locator('frontdesk-widget section.call');
  const tiles = (page: Page) => page.getByTestId('call-window').getByTestId('call-party');
  const tileKeys = (page: Page) => tiles(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-party')));

  /** The conversations visitorOfAnn has claimed so far (a later visitor's is another one). */
  const claimed = new Set<string>();

  /** A visitor on the demo page who wrote, its conversation claimed by Ann (before she signs in). */
  async function visitorOfAnn(text: string): Promise<{ page: Page; visitorId: string }> {
    const page = await h.newPage();
    await page.goto(`${h.server.url}/demo?appId=acme`);
    await page.locator('button.launcher').click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    let conversation: { id: string; visitorId: string } | undefined;
    const opened = async () => ((await h.ok('GET', '/v1/conversations?status=open')).conversations as { id: string; visitorId: string }[]).find((c) => !claimed.has(c.id));
    await eventually(async () => (conversation = await opened())?.visitorId !== undefined).toBe(true);
    claimed.add(conversation!.id);
    await h.ok('POST', `/v1/conversations/${conversation!.id}/claim`, undefined, h.seeded.agent1.token);
    return { page, visitorId: conversation!.visitorId };
  }

  async function signedInFree(email: string): Promise<Page> {
    const page = await h.newPage();
    await h.signIn(page, email);
    await page.locator('#wb-status-select').selectOption('free');
    await eventually(() => page.getByTestId('agent-status').textContent()).toContain('Available');
    return page;
  }

  /** Brings up every publisher of the call's room not up yet, as Janus would. */
  function bringUp(callId: string) {
    const room = [...media.rooms.values()].find((r) => r.request.callId === callId);
    for (const leg of room?.legs.values() ?? []) if (leg.kind === 'publisher' && !up.has(leg.legId)) (up.add(leg.legId), media.emitLegEvent(room!.ref, leg.legId, { type: 'leg.up' }));
  }
  const up = new Set<string>();
  const publisherLegs = (callId: string) => [...([...media.rooms.values()].find((r) => r.request.callId === callId)?.legs.values() ?? [])].filter((l) => l.kind === 'publisher');
  const publishers = (callId: string) => publisherLegs(callId).length;

  async function addParty(ann: Page, row: string): Promise<Locator> {
    await ann.getByTestId('call-add-party').click();
    const dialog = ann.getByRole('dialog', { name: 'Add participant' });
    await dialog.locator(row).first().waitFor();
    await dialog.locator(row).first().getByRole('button', { name: /^Invite/ }).click();
    return dialog;
  }

  it('Ann adds Bob, who accepts from his card: two remote tiles each; Bob leaves; a second invite is declined; another visitor joins from the widget and sees a grid', async () => {
    const first = await visitorOfAnn('Can we talk on video?');
    const guest = await visitorOfAnn('I am the second visitor');
    const bob = await signedInFree('agent2@acme.test');
    const ann = await signedInFree('agent1@acme.test');
    const bobId = h.seeded.agent2.agent.id;
    const annId = h.seeded.agent1.agent.id;

    // The first visitor calls Ann; she answers.
    await first.page.locator('frontdesk-widget button[data-call="video"]').click();
    await ann.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    const window = ann.getByTestId('call-window');
    const callId = (await window.getAttribute('data-call-id'))!;
    await eventually(() => publishers(callId)).toBe(2);
    bringUp(callId);
    await eventually(() => window.getAttribute('data-call-mode')).toBe('active');
    expect(await tileKeys(ann)).toEqual([`visitor:${first.visitorId}`]);

    // Add participant: Bob (signed in) and the second visitor (another of Ann's conversations) are offered.
    const dialog = await addParty(ann, `li[data-agent-id="${bobId}"]`);
    await eventually(() => dialog.isVisible()).toBe(false);
    const invite = ann.getByTestId('call-invite');
    await eventually(() => invite.textContent()).toBe('Ringing Bob Agent…');
    // A second invite while Bob rings is refused, in words, in the dialog.
    await ann.getByTestId('call-add-party').click();
    await eventually(() => dialog.locator(`li[data-visitor-id="${guest.visitorId}"]`).count()).toBe(1);
    await h.shot(ann, 'add-dialog');
    await dialog.locator(`li[data-visitor-id="${guest.visitorId}"]`).getByRole('button', { name: /^Invite/ }).click();
    await eventually(() => dialog.getByTestId('add-party-error').textContent()).toBe('An invite is still ringing: wait for its answer first.');
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    // Bob's card says who invites him into which call.
    const card = bob.getByTestId('incoming-call');
    await card.waitFor();
    expect(await card.getAttribute('data-invite')).toBe('true');
    expect(await card.getByTestId('incoming-invite').textContent()).toMatch(/^Ann Agent invites you into a call with Visitor [\w-]{4}$/);
    await h.shot(bob, 'invited');
    await card.getByRole('button', { name: 'Accept' }).click();
    await eventually(() => (bringUp(callId), ann.getByTestId('call-window').getByTestId('call-party').count())).toBe(2);
    await eventually(() => invite.textContent()).toBe('Bob Agent joined the call');
    await eventually(() => tileKeys(ann)).toEqual([`visitor:${first.visitorId}`, `agent:${bobId}`]);
    await eventually(() => tileKeys(bob)).toEqual([`visitor:${first.visitorId}`, `agent:${annId}`]);
    expect(await tiles(ann).getByTestId('call-party-label').allTextContents()).toEqual([expect.stringMatching(/^Visitor [\w-]{4} · Visitor$/), 'Bob Agent · Agent']);
    expect(await bob.getByTestId('call-window').getByTestId('call-hang-up').textContent()).toContain('Leave call');
    // The first visitor sees Ann and Bob as a grid, each by name (Bob never wrote in the chat: his name comes from the call).
    await eventually(() => widgetCall(first.page).locator('.call-grid li.call-tile').count()).toBe(2);
    await eventually(() => widgetCall(first.page).locator('.call-grid .tile-label').allTextContents()).toEqual(['Ann Agent · Agent', 'Bob Agent · Agent']);
    await h.shot(ann, 'workbench-three');

    // Bob leaves: the call goes on; Ann is back to one tile, Bob's window closes.
    await bob.getByTestId('call-window').getByTestId('call-hang-up').click();
    await eventually(() => bob.getByTestId('call-window').count()).toBe(0);
    await eventually(() => tileKeys(ann)).toEqual([`visitor:${first.visitorId}`]);
    expect(await window.getAttribute('data-call-mode')).toBe('active');
    await eventually(() => widgetCall(first.page).locator('.call-grid').count()).toBe(0);

    // Invited again, Bob declines: Ann reads it.
    await addParty(ann, `li[data-agent-id="${bobId}"]`);
    await bob.getByTestId('incoming-call').getByRole('button', { name: 'Decline' }).click();
    await eventually(() => invite.getAttribute('data-state')).toBe('declined');
    expect(await invite.textContent()).toBe('Bob Agent declined');

    // The second visitor is invited: it rings in its widget as an invitation; it accepts and sees a grid of two.
    await addParty(ann, `li[data-visitor-id="${guest.visitorId}"]`);
    const guestCall = widgetCall(guest.page);
    await eventually(() => guestCall.getAttribute('data-call-mode')).toBe('incoming');
    expect(await guestCall.textContent()).toContain("You're invited to join a video call · Ann Agent invites you");
    await h.shot(guest.page, 'widget-invited');
    await guestCall.getByRole('button', { name: 'Accept' }).click();
    await eventually(() => (bringUp(callId), guestCall.getAttribute('data-call-mode'))).toBe('active');
    await eventually(() => guestCall.locator('.call-grid li.call-tile').evaluateAll((els) => els.map((el) => el.getAttribute('data-party')))).toEqual([`visitor:${first.visitorId}`, `agent:${annId}`]);
    await eventually(() => tileKeys(ann)).toEqual([`visitor:${first.visitorId}`, `visitor:${guest.visitorId}`]);
    await h.shot(guest.page, 'widget-grid');

    // Bob joins too: four parties, three tiles for Ann.
    await addParty(ann, `li[data-agent-id="${bobId}"]`);
    await bob.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
    await eventually(() => (bringUp(callId), tileKeys(ann))).toEqual([`visitor:${first.visitorId}`, `visitor:${guest.visitorId}`, `agent:${bobId}`]);
    await eventually(() => guestCall.locator('.call-grid li.call-tile').count()).toBe(3);
    await eventually(() => guestCall.locator('.call-grid .tile-label').allTextContents()).toEqual(['Guest', 'Ann Agent · Agent', 'Bob Agent · Agent']);
    await h.shot(ann, 'workbench-four');

    // Ann hangs up: the call ends for everyone; Bob's window says so (it was his call too).
    await window.getByTestId('call-hang-up').click();
    await eventually(() => bob.getByTestId('call-window').getAttribute('data-call-mode')).toBe('ended');
    expect(await bob.getByTestId('call-status').textContent()).toContain('The agent hung up');
    await eventually(() => guestCall.getAttribute('data-call-mode')).toBe('ended');
    await eventually(() => widgetCall(first.page).getAttribute('data-call-mode')).toBe('ended');
  });
});
