import { describe, expect, it } from 'vitest';
import { mergeProfile } from './profile.ts';

describe('what the page says of the visitor', () => {
  it('keeps earlier fields and attributes, newer ones over them', () => {
    expect(mergeProfile({ name: 'Li', attributes: { plan: 'free', city: 'Xi\'an' } }, { email: 'li@example.test', attributes: { plan: 'pro' } })).toEqual({
      name: 'Li',
      email: 'li@example.test',
      attributes: { plan: 'pro', city: 'Xi\'an' },
    });
    expect(mergeProfile(undefined, { name: 'Li' })).toEqual({ name: 'Li' });
  });
});
