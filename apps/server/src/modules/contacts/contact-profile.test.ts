import { describe, expect, it } from 'vitest';
import { applyAttributes, mergeProfiles, type ContactProfile } from './contact-profile.ts';

const base: ContactProfile = { name: null, email: null, phone: null, attributes: {}, pageUrl: null, referrer: null, browser: null, os: null, language: null, timeZone: null, firstSeenAt: 100, lastSeenAt: 200 };

describe('contact profile', () => {
  it('sets attributes and removes those set to null, within the limit', () => {
    expect(applyAttributes({ a: 1, b: 'x' }, { b: null, c: true })).toEqual({ a: 1, c: true });
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(() => applyAttributes(fifty, { more: 1 })).toThrow(/at most 50/);
    expect(applyAttributes(fifty, { k0: null, more: 1 })).toHaveProperty('more', 1);
  });

  it('a merge keeps what the kept contact says, fills its blanks, and takes the visit of whichever was seen last', () => {
    const kept: ContactProfile = { ...base, name: 'Kept', attributes: { plan: 'gold' }, pageUrl: 'http://127.0.0.1/a', browser: 'Chrome 120', firstSeenAt: 500, lastSeenAt: 600 };
    const merged: ContactProfile = { ...base, name: 'Other', email: 'o@example.com', attributes: { plan: 'free', city: 'Beijing' }, pageUrl: 'http://127.0.0.1/b', firstSeenAt: 50, lastSeenAt: 900 };
    expect(mergeProfiles(kept, merged)).toEqual({
      ...base,
      name: 'Kept',
      email: 'o@example.com',
      attributes: { plan: 'gold', city: 'Beijing' },
      pageUrl: 'http://127.0.0.1/b',
      browser: 'Chrome 120',
      firstSeenAt: 50,
      lastSeenAt: 900,
    });
  });
});
