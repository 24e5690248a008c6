import { describe, expect, it } from 'vitest';
import { useWorkbenchHarness, type Harness } from './workbench-harness.ts';

/**
 * The workbench's history in Chromium: the agent searches a Chinese phrase and an English phrase,
 * finds the conversations (one ended, with its rating and a note), and opens them with their
 * transcripts. Screenshots: e2e/screenshots/history-*.png.
 */
describe('history and search in the workbench (Chromium)', () => {
  let zhId: string;
  let enId: string;

  /** A visitor's conversation with these messages, taken by agent1. */
  async function conversation({ ok, visitor, seeded }: Harness, name: string, texts: string[]): Promise<{ id: string; token: string }> {
    const { conversationId: id, token, say } = await visitor(name);
    for (const text of texts) await say(text);
    await ok('POST', `/v1/conversations/${id}/claim`, undefined, seeded.agent1.token);
    return { id, token };
  }

  const h = useWorkbenchHarness({
    shots: 'history',
    setUp: async (h) => {
      const { ok, seeded } = h;
      const agent = seeded.agent1.token;
      await ok('PATCH', `/v1/agents/${seeded.agent1.agent.id}`, { name: 'Ann Agent' });
      // Noise around the two that are looked for.
      for (let i = 0; i < 3; i++) await conversation(h, `Guest ${i}`, [`Hello, question number ${i} about tea`, `你好，我想问一下第${i}个问题`]);
      const zh = await conversation(h, '王芳', ['你好', '我的订单还没有到，能帮我查一下物流吗？']);
      await ok('POST', `/v1/conversations/${zh.id}/messages`, { clientId: 'a1', text: '已经为您查询，包裹明天送达。' }, agent);
      await ok('POST', `/v1/conversations/${zh.id}/notes`, { text: 'Courier delayed by the holiday' }, agent);
      await ok('POST', `/v1/conversations/${zh.id}/close`, undefined, agent);
      await ok('PUT', `/v1/conversations/${zh.id}/rating`, { stars: 4, comment: '很快，谢谢' }, zh.token);
      zhId = zh.id;
      const en = await conversation(h, 'Oliver Smith', ['Hi there', 'The parcel arrived damaged, can I get a replacement?']);
      enId = en.id;
    },
  });

  it('finds a Chinese and an English phrase and opens each conversation with its transcript, rating and notes', async () => {
    const ann = await h.newPage();
    await h.signIn(ann, 'agent1@acme.test');
    await ann.getByRole('link', { name: 'History' }).click();

    // Closed conversations are listed first; the Chinese phrase finds the ended one.
    const search = ann.getByTestId('history-search');
    await ann.getByRole('radio', { name: 'Everything' }).click();
    await search.fill('查一下物流');
    const rows = ann.getByTestId('history-row');
    // The match is shown with the row (until then the list is the filter's, without a match).
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('我的订单还没有到，能帮我查一下物流吗？')]);
    expect(await rows.first().getAttribute('data-conversation-id')).toBe(zhId);
    await rows.first().click();
    const pane = ann.getByTestId('history-conversation');
    await expect.poll(() => pane.getByTestId('transcript').textContent()).toContain('已经为您查询，包裹明天送达。');
    await expect.poll(() => pane.getByTestId('csat').textContent()).toContain('很快，谢谢');
    expect(await pane.getByTestId('csat').getByLabel('4 of 5 stars').count()).toBe(1);
    await expect.poll(() => pane.textContent()).toContain('Courier delayed by the holiday');
    expect(await pane.locator('#wb-history-title').textContent()).toBe('王芳');
    await h.shot(ann, 'zh');

    // An English phrase, words in any order, finds the open one.
    await search.fill('damaged parcel');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('The parcel arrived damaged')]);
    expect(await rows.first().getAttribute('data-conversation-id')).toBe(enId);
    await rows.first().click();
    await expect.poll(() => ann.getByTestId('history-conversation').getAttribute('data-conversation-id')).toBe(enId);
    await expect.poll(() => ann.getByTestId('transcript').textContent()).toContain('The parcel arrived damaged, can I get a replacement?');
    await h.shot(ann, 'en');

    // Filters: the ended one under Closed, the open one under Mine.
    await search.fill('');
    await ann.getByRole('radio', { name: 'Closed' }).click();
    await expect.poll(() => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-conversation-id')))).toEqual([zhId]);
    await ann.getByRole('radio', { name: 'Mine' }).click();
    await expect.poll(() => rows.count()).toBe(4);
  });
});
