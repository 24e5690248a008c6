import { describe, expect, it } from 'vitest';
import { newTimeOrderedId } from './ids.ts';

describe('newTimeOrderedId', () => {
  it('sorts as text by creation time, whatever the random part, and never repeats', () => {
    const times = [0, 1, 35, 36, 999, 1_000_000, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, Date.UTC(2100, 0, 1), 36 ** 9 - 1];
    const ids = times.flatMap((t) => Array.from({ length: 50 }, () => newTimeOrderedId('msg', t)));
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);
    const sorted = [...ids].sort();
    // Every id of an earlier time sorts before every id of a later one.
    expect(sorted.map((id) => parseInt(id.slice(4, 13), 36))).toEqual([...ids.map((id) => parseInt(id.slice(4, 13), 36))].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
