import { describe, expect, it } from 'vitest';
import { sizeText } from './file-size.ts';

describe('file sizes in the widget', () => {
  it('shows bytes under 1 KB, whole KB under 1 MB and MB with one decimal above', () => {
    expect(sizeText(0)).toBe('0 B');
    expect(sizeText(5)).toBe('5 B');
    expect(sizeText(1023)).toBe('1023 B');
    expect(sizeText(1024)).toBe('1 KB');
    expect(sizeText(300 * 1024)).toBe('300 KB');
    expect(sizeText(1024 * 1024)).toBe('1.0 MB');
    expect(sizeText(10 * 1024 * 1024)).toBe('10.0 MB');
  });
});
