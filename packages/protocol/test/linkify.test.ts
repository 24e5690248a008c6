import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from '../src/linkify.ts';

describe('linkify', () => {
  it('keeps text without links as one text part', () => {
    expect(linkify('hello <img src=x onerror=alert(1)>')).toEqual([{ text: 'hello <img src=x onerror=alert(1)>' }]);
  });

  it('turns http and https URLs into links and leaves trailing punctuation outside', () => {
    expect(linkify('see http://127.0.0.1:9/a?b=1, or http://127.0.0.2.')).toEqual([
      { text: 'see ' },
      { text: 'http://127.0.0.1:9/a?b=1', href: 'http://127.0.0.1:9/a?b=1' },
      { text: ', or ' },
      { text: 'http://127.0.0.2', href: 'http://127.0.0.2/' },
      { text: '.' },
    ]);
  });

  it('keeps brackets the URL opened and drops the ones around it', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/A_(b))')).toEqual([
      { text: '(' },
      { text: 'https://en.wikipedia.org/wiki/A_(b)', href: 'https://en.wikipedia.org/wiki/A_(b)' },
      { text: ')' },
    ]);
    expect(linkify('链接：https://example.cn/路径。')[1]).toEqual({ text: 'https://example.cn/路径', href: 'https://example.cn/%E8%B7%AF%E5%BE%84' });
  });

  it('never links other schemes, credentials or markup', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>', 'www.example.com', 'mailto:a@b.c', 'https://user:pw@evil.test/']) {
      expect(linkify(text).every((part) => part.href === undefined), text).toBe(true);
    }
    expect(linkify('http://127.0.0.2/"onmouseover="alert(1)')[0]).toEqual({ text: 'http://127.0.0.2/', href: 'http://127.0.0.2/' });
    expect(safeHref('https://')).toBeUndefined();
  });
});
