import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BotSettings, Faq } from './bot-settings.ts';
import { FAQ_MIN_SCORE, decideBotReply, type BotReply } from './bot-reply.ts';
import { createFaqIndex } from './faq-index.ts';

const settings = BotSettings.parse({
  enabled: true,
  name: 'Ada',
  defaultReply: 'Sorry, I did not get that.',
  timeoutReply: 'Are you still there?',
  handOffText: 'Connecting you to an agent…',
  faqs: [
    { id: 'return-zh', question: '如何退货', keywords: ['退货', '退款'], answer: '请在订单页申请退货。', locale: 'zh' },
    { id: 'ship-zh', question: '发货需要多久', keywords: ['发货', '物流'], answer: '下单后48小时内发货。', locale: 'zh' },
    { id: 'pay-zh', question: '支持哪些付款方式', keywords: ['支付宝', '微信支付'], answer: '支持支付宝和微信支付。', locale: 'zh' },
    { id: 'return-en', question: 'How do I return my order?', keywords: ['return', 'refund'], answer: 'Open the order and choose Return.', locale: 'en' },
    { id: 'ship-en', question: 'How long does shipping take?', keywords: ['shipping', 'delivery'], answer: 'Within two days.', locale: 'en' },
  ],
});
const index = createFaqIndex(settings.faqs);
const reply = (text: string) => decideBotReply(settings, index, text);

describe('decideBotReply', () => {
  it('answers an FAQ asked in Chinese in other words', () => {
    expect(reply('我想退货怎么办')).toMatchObject({ kind: 'answer', faqId: 'return-zh', text: '请在订单页申请退货。' });
    expect(reply('多久能发货')).toMatchObject({ kind: 'answer', faqId: 'ship-zh' });
    expect(reply('可以用支付宝吗')).toMatchObject({ kind: 'answer', faqId: 'pay-zh' });
  });

  it('answers an FAQ asked in English with a typo', () => {
    const decision = reply('how do I retrun my order');
    expect(decision).toMatchObject({ kind: 'answer', faqId: 'return-en', text: 'Open the order and choose Return.' });
    expect(decision.kind === 'answer' && decision.score).toBeGreaterThanOrEqual(FAQ_MIN_SCORE);
  });

  it('hands off on 转人工, with the hand-off text', () => {
    expect(reply('转人工')).toEqual({ kind: 'handoff', text: 'Connecting you to an agent…', keyword: '转人工' });
  });

  it('hands off when the visitor asks for a human', () => {
    expect(reply('I want a human')).toMatchObject({ kind: 'handoff', keyword: 'human' });
  });

  it('prefers a hand-off to an FAQ the same message matches', () => {
    expect(reply('退款太慢了，转人工')).toMatchObject({ kind: 'handoff' });
  });

  it('does not hand off on "agentic"', () => {
    expect(reply('agentic')).toEqual({ kind: 'default', text: 'Sorry, I did not get that.' });
  });

  it('gives the default reply to gibberish, greetings and blank text', () => {
    for (const text of ['asdkjh qwe zzz', 'xqzvbnm', '你好', 'hello', '', '   ', '🙂🙂']) {
      expect(reply(text), text).toEqual({ kind: 'default', text: 'Sorry, I did not get that.' });
    }
  });

  it('gives the default reply when only part of a question matches', () => {
    expect(reply('my order')).toMatchObject({ kind: 'default' });
    expect(reply('我的货到了吗')).toMatchObject({ kind: 'default' });
  });

  it('uses the channel’s own hand-off keywords instead of the defaults', () => {
    const custom = { ...settings, handOffKeywords: ['operator'] };
    expect(decideBotReply(custom, index, 'operator please')).toMatchObject({ kind: 'handoff', keyword: 'operator' });
    expect(decideBotReply(custom, index, 'I want a human')).toMatchObject({ kind: 'default' });
  });

  it('says disabled, and nothing else, when the bot is off', () => {
    const off = { ...settings, enabled: false };
    expect(decideBotReply(off, index, '转人工')).toEqual({ kind: 'disabled' });
    expect(decideBotReply(off, index, 'how do I return my order')).toEqual({ kind: 'disabled' });
  });

  it('is off by default with the Huawei hand-off keywords', () => {
    const parsed = BotSettings.parse({ name: 'Ada', defaultReply: 'a', timeoutReply: 'b', handOffText: 'c' });
    expect(parsed).toMatchObject({ enabled: false, handOffKeywords: ['转人工', '人工', 'human', 'agent'], faqs: [] });
  });

  it('refuses settings with duplicate FAQ ids', () => {
    const faq = { id: 'a', question: 'q', answer: 'x' };
    const result = BotSettings.safeParse({ ...settings, faqs: [faq, faq] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['faqs', 1, 'id'], message: 'duplicate FAQ id "a"' });
  });
});

describe('decideBotReply properties', () => {
  const KINDS = ['handoff', 'answer', 'default'];
  const loneSurrogates = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
  const anyText = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    loneSurrogates,
    // Mixes of real FAQ words and noise, to reach the answer path too.
    fc.array(fc.oneof(fc.constantFrom('退货', '退', '发货', 'retrun', 'order', 'shipping', 'ship', 'agent', ' ', '，'), fc.string()), { maxLength: 12 }).map((p) => p.join('')),
  );

  function checkReply(decision: BotReply, faqIds: ReadonlySet<string>, keywords: readonly string[]): void {
    expect(KINDS).toContain(decision.kind);
    if (decision.kind === 'answer') {
      expect(faqIds.has(decision.faqId)).toBe(true);
      expect(decision.score).toBeGreaterThanOrEqual(FAQ_MIN_SCORE);
      expect(decision.score).toBeLessThanOrEqual(1);
    }
    if (decision.kind === 'handoff') expect(keywords).toContain(decision.keyword);
  }

  it('never throws and always returns one of the three kinds for arbitrary unicode text', () => {
    const faqIds = new Set(settings.faqs.map((f) => f.id));
    fc.assert(fc.property(anyText, (text) => checkReply(reply(text), faqIds, settings.handOffKeywords)), { numRuns: 1000 });
  });

  it('never throws for arbitrary FAQs and hand-off keywords either', () => {
    const faqArb = fc.record({ id: fc.string({ minLength: 1 }), question: fc.string({ unit: 'binary' }), keywords: fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), answer: fc.string() });
    fc.assert(
      fc.property(fc.uniqueArray(faqArb, { selector: (f) => f.id, maxLength: 6 }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), anyText, (faqs, keywords, text) => {
        const custom = { ...settings, handOffKeywords: keywords, faqs: faqs as Faq[] };
        checkReply(decideBotReply(custom, createFaqIndex(custom.faqs), text), new Set(faqs.map((f) => f.id)), keywords);
      }),
      { numRuns: 300 },
    );
  });

  it('always hands off when the message contains 转人工', () => {
    fc.assert(
      fc.property(anyText, anyText, (before, after) => {
        expect(reply(before + '转人工' + after).kind).toBe('handoff');
      }),
    );
  });
});
