import { describe, expect, it } from 'vitest';
import { nextPosition } from './job-position.ts';

describe('job and outbox positions', () => {
  it('grow strictly within a process, within one millisecond and when the clock steps back', () => {
    const at = Date.UTC(2026, 0, 1);
    const positions = [nextPosition(at), nextPosition(at), nextPosition(at), nextPosition(at - 5000), nextPosition(at + 1)];
    for (let i = 1; i < positions.length; i++) expect(positions[i]!).toBeGreaterThan(positions[i - 1]!);
    expect(positions.every(Number.isSafeInteger)).toBe(true);
    // A later millisecond starts from its own time again: positions follow time across nodes.
    expect(nextPosition(at + 60_000)).toBe((at + 60_000) * 1024);
  });
});
