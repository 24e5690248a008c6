import { describe, expect, it } from 'vitest';
import { format, pickWorkbenchLocale, storedWorkbenchLocale } from './locale.ts';

describe('the workbench language', () => {
  it('is the first browser language it speaks, else English', () => {
    expect(pickWorkbenchLocale(['zh-CN', 'en'])).toBe('zh');
    expect(pickWorkbenchLocale(['de-DE', 'zh_TW'])).toBe('zh');
    expect(pickWorkbenchLocale(['fr', 'ja'])).toBe('en');
    expect(pickWorkbenchLocale([])).toBe('en');
  });

  it('fills placeholders as plain text and leaves unknown ones', () => {
    expect(format('{name} is calling', { name: '<b>Li</b>' })).toBe('<b>Li</b> is calling');
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('takes the agent\'s stored choice only when the workbench speaks it', () => {
    expect(storedWorkbenchLocale('zh')).toBe('zh');
    expect(storedWorkbenchLocale('en')).toBe('en');
    expect(storedWorkbenchLocale('fr')).toBeNull();
    expect(storedWorkbenchLocale(null)).toBeNull();
  });
});
