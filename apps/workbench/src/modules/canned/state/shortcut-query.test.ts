import type { CannedResponse } from '@frontdesk/sdk-agent';
import { describe, expect, it } from 'vitest';
import { filterCannedResponses, insertCannedResponse, shortcutQueryAt } from './shortcut-query.ts';

const response = (shortcut: string, title: string, text: string): CannedResponse => ({ id: shortcut, appId: 'acme', ownerAgentId: null, shortcut, title, text, createdAt: 0, updatedAt: 0 });
const responses = [response('hello', 'Greeting', 'Hello! How can I help?'), response('refund', 'Refunds', 'Refunds take 5 days.'), response('bye', 'Goodbye', 'Thanks, and hello to your team')];

describe('canned response shortcuts in the composer', () => {
  it('a slash word ending at the caret is a query, at the start or after a space only', () => {
    expect(shortcutQueryAt('/ref', 4)).toEqual({ query: 'ref', start: 0 });
    expect(shortcutQueryAt('Sure, /ref', 10)).toEqual({ query: 'ref', start: 6 });
    expect(shortcutQueryAt('/', 1)).toEqual({ query: '', start: 0 });
    expect(shortcutQueryAt('and/or', 6)).toBeNull();
    expect(shortcutQueryAt('/ref done', 9)).toBeNull();
    expect(shortcutQueryAt('/refund', 4)).toEqual({ query: 'ref', start: 0 });
  });

  it('shortcut prefixes come first, then title or text matches, ignoring case', () => {
    expect(filterCannedResponses(responses, 'HEL').map((r) => r.shortcut)).toEqual(['hello', 'bye']);
    expect(filterCannedResponses(responses, '').map((r) => r.shortcut)).toEqual(['hello', 'refund', 'bye']);
    expect(filterCannedResponses(responses, 'nothing')).toEqual([]);
  });

  it('inserting replaces the slash word and puts the caret after the text', () => {
    const inserted = insertCannedResponse('Hi! /ref and more', 8, 4, responses[1]!);
    expect(inserted.text).toBe('Hi! Refunds take 5 days. and more');
    expect(inserted.caret).toBe(4 + 'Refunds take 5 days.'.length);
  });
});
