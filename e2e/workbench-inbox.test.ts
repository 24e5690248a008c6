import { describe, expect, it } from 'vitest';
import { routeThroughQueue, solidPng, useWorkbenchHarness } from './workbench-harness.ts';

/**
 * The agent's inbox and conversation pane in Chromium, as an agent meets them through a day: a
 * ringing chat already shows what the visitor writes, drafts survive switching, links open,
 * images enlarge, mixed Arabic and English keep their order, a rating after the end shows at
 * once (and an unrated chat asks without a 404), and ended chats stay listed across a new
 * login until closed. Screenshots: e2e/screenshots/inbox-*.png.
 */
describe('the inbox and conversation pane (Chromium)', () => {
  const h = useWorkbenchHarness({
    shots: 'inbox',
    setUp: async ({ ok, seeded }) => {
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
      await routeThroughQueue(ok, { name: 'Support', ringTimeoutSeconds: 120, wrapUpSeconds: 0 }, [seeded.agent1.agent.id]);
    },
  });

  it("an agent's day in the inbox: live previews of ringing chats, drafts, links, images, mixed directions, a late rating, ended chats kept across logins", async () => {
    const ann = await h.newPage();
    const notFound: string[] = [];
    ann.on('response', (response) => response.status() === 404 && notFound.push(new URL(response.url()).pathname));
    await h.signIn(ann, 'agent1@acme.test');
    await ann.locator('#wb-status-select').selectOption('free');
    await expect.poll(() => ann.getByTestId('agent-status').textContent()).toContain('Available');
    const row = (id: string) => ann.locator(`[data-testid="inbox-row"][data-session-id="${id}"]`);
    const preview = (id: string) => row(id).locator('.wb-inbox-row__preview');
    try {
      // A chat rings: what the visitor writes shows in its row, with the unread count, before Ann takes it.
      const grace = await h.visitor('Grace');
      await row(grace.conversationId).waitFor({ timeout: 15_000 });
      await grace.say('Is my parcel lost?');
      await expect.poll(() => preview(grace.conversationId).textContent()).toBe('Is my parcel lost?');
      await expect.poll(() => row(grace.conversationId).getByTestId('unread-count').textContent()).toBe('1');
      await grace.say('It was due on Monday.');
      await expect.poll(() => preview(grace.conversationId).textContent()).toBe('It was due on Monday.');
      await expect.poll(() => row(grace.conversationId).getByTestId('unread-count').textContent()).toBe('2');
      expect(await row(grace.conversationId).textContent()).toContain('Ringing');
      await h.shot(ann, 'ringing-preview');
      await ann.getByTestId('offer').getByRole('button', { name: 'Accept' }).click();
      const pane = ann.getByTestId('conversation');
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(grace.conversationId);
      // The join notice names the agent who joined: Ann herself.
      await pane.locator('.wb-msg--system').filter({ hasText: 'You joined the chat' }).waitFor();
      // Her contact has no name of its own: it shows the one the chat knows.
      await expect.poll(() => pane.getByTestId('contact-name').textContent()).toBe('Grace');

      // A second chat; a reply half written to Grace survives a look at Hugo's and back.
      const hugo = await h.visitor('Hugo');
      await hugo.say('Hello, do you sell gift cards?');
      await expect.poll(() => preview(hugo.conversationId).textContent()).toBe('Hello, do you sell gift cards?');
      await ann.getByTestId('offer').getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => pane.getAttribute('data-session-id')).toBe(hugo.conversationId);
      await expect.poll(() => preview(hugo.conversationId).textContent()).toBe('You joined the chat');
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
      await h.shot(ann, 'image-lightbox');
      await ann.keyboard.press('Escape');
      await expect.poll(() => lightbox.isVisible()).toBe(false);
      await h.shot(ann, 'conversation');

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
      await h.shot(ann, 'rated-after-end');
      // No read of a rating answered 404 (an unrated chat is not an error).
      expect(notFound.filter((p) => p.includes('rating'))).toEqual([]);

      // A new login: the ended chat is still listed (until closed), beside the open one.
      await h.signOut(ann);
      await h.signIn(ann, 'agent1@acme.test');
      await row(grace.conversationId).waitFor({ timeout: 10_000 });
      expect(await row(grace.conversationId).textContent()).toContain('Ended');
      await expect.poll(() => preview(grace.conversationId).textContent()).toBe('The agent ended the chat');
      await row(hugo.conversationId).waitFor();
      await h.shot(ann, 'after-relogin');
      await row(grace.conversationId).click();
      await expect.poll(() => pane.getByTestId('csat').textContent()).toContain('Found it, thanks!');
      await ann.getByTestId('dismiss').click();
      await expect.poll(() => row(grace.conversationId).count()).toBe(0);
      await h.signOut(ann);
      await h.signIn(ann, 'agent1@acme.test');
      await row(hugo.conversationId).waitFor({ timeout: 10_000 });
      expect(await row(grace.conversationId).count()).toBe(0);
    } catch (err) {
      await h.shot(ann, 'failure').catch(() => undefined);
      throw err;
    }
  });
});
