import { describe, expect, it } from 'vitest';
import { Faq } from './bot-settings.ts';
import { APPROXIMATE_MATCH_WEIGHT, MAX_QUERY_CHARS, createFaqIndex, searchFaqs } from './faq-index.ts';

const faqs = [
  { id: 'returns', question: 'How do I return my order?', keywords: ['return', 'refund'], answer: 'Open the order and choose Return.' },
  { id: 'shipping', question: 'How long does shipping take?', keywords: ['shipping', 'delivery'], answer: 'Parcels leave within two days.' },
  { id: 'password', question: 'How can I reset my password?', keywords: [], answer: 'Use the forgot link on the sign-in page.' },
  { id: '退货', question: '如何退货', keywords: ['退货', '退款'], answer: '请在订单页申请退货。' },
].map((faq) => Faq.parse(faq));
const index = createFaqIndex(faqs);
const ids = (text: string) => searchFaqs(index, text).map((m) => m.faqId);

describe('createFaqIndex', () => {
  it('refuses two FAQs with the same id', () => {
    expect(() => createFaqIndex([faqs[0]!, { ...faqs[1]!, id: 'returns' }])).toThrow('duplicate FAQ id "returns"');
  });

  it('builds an empty index that matches nothing', () => {
    expect(searchFaqs(createFaqIndex([]), 'return my order')).toEqual([]);
  });
});

describe('searchFaqs', () => {
  it('scores 1 when the message holds a whole keyword or all of the question', () => {
    expect(searchFaqs(index, 'I want a refund')[0]).toMatchObject({ faqId: 'returns', score: 1 });
    expect(searchFaqs(index, 'reset password')[0]).toMatchObject({ faqId: 'password', score: 1 });
    expect(searchFaqs(index, '怎么退款？')[0]).toMatchObject({ faqId: '退货', score: 1 });
  });

  it('counts a word written with a typo or as a prefix as an approximate match', () => {
    expect(searchFaqs(index, 'refnud')[0]).toMatchObject({ faqId: 'returns', score: APPROXIMATE_MATCH_WEIGHT });
    expect(searchFaqs(index, 'ship')[0]).toMatchObject({ faqId: 'shipping', score: APPROXIMATE_MATCH_WEIGHT });
  });

  it('scores the share of a phrase the message covers', () => {
    expect(searchFaqs(index, 'my order')[0]).toMatchObject({ faqId: 'returns', score: 0.5 });
  });

  it('gives no confidence for words found only in an answer', () => {
    expect(ids('sign-in page')).toEqual([]);
    expect(ids('parcels')).toEqual([]);
  });

  it('looks up words of four letters or more fuzzily, shorter ones exactly', () => {
    expect(ids('ordr')).toEqual(['returns']);
    expect(ids('odr')).toEqual([]);
  });

  it('ranks the best-covered FAQ first and keeps scores within 0..1', () => {
    const matches = searchFaqs(index, 'return the delivery I got, shipping took too long');
    expect(matches.map((m) => m.faqId)).toEqual(['shipping', 'returns']);
    for (const m of matches) expect(m.score).toBeGreaterThan(0), expect(m.score).toBeLessThanOrEqual(1);
  });

  it('honours the limit', () => {
    expect(searchFaqs(index, 'return the delivery', 1)).toHaveLength(1);
  });

  it('searches only the head of a very long message', () => {
    const tail = ' refund'.repeat(100);
    expect(ids('x'.repeat(MAX_QUERY_CHARS) + tail)).toEqual([]);
    expect(ids('refund' + 'x '.repeat(20_000))).toEqual(['returns']);
  });
});
