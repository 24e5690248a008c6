import { describe, expect, it } from 'vitest';
import { neighbourOf, shortcutOf } from './shortcut-keys.ts';

const key = (k: string, more: Partial<Parameters<typeof shortcutOf>[0]> = {}) => shortcutOf({ key: k, altKey: false, ctrlKey: false, metaKey: false, isTyping: false, ...more });

describe('keyboard shortcuts', () => {
  it('reads the keys, and none while typing (except Alt+arrows), nor with Ctrl or Cmd', () => {
    expect(key('?')).toBe('help');
    expect(key('j')).toBe('next');
    expect(key('k')).toBe('previous');
    expect(key('r')).toBe('reply');
    expect(key('j', { isTyping: true })).toBeNull();
    expect(key('?', { isTyping: true })).toBeNull();
    expect(key('ArrowDown', { altKey: true, isTyping: true })).toBe('next');
    expect(key('ArrowUp', { altKey: true })).toBe('previous');
    expect(key('r', { ctrlKey: true })).toBeNull();
    expect(key('x')).toBeNull();
  });

  it('steps through the inbox, wrapping around', () => {
    expect(neighbourOf(['a', 'b', 'c'], 'a', 1)).toBe('b');
    expect(neighbourOf(['a', 'b', 'c'], 'c', 1)).toBe('a');
    expect(neighbourOf(['a', 'b', 'c'], 'a', -1)).toBe('c');
    expect(neighbourOf(['a', 'b', 'c'], null, 1)).toBe('a');
    expect(neighbourOf(['a', 'b', 'c'], 'gone', -1)).toBe('c');
    expect(neighbourOf([], null, 1)).toBeNull();
  });
});
