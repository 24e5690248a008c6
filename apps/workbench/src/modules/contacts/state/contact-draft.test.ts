import type { Contact } from '@frontdesk/sdk-agent';
import { describe, expect, it } from 'vitest';
import { draftOf, patchOf } from './contact-draft.ts';

const contact = {
  id: 'ctc_1',
  appId: 'acme',
  visitors: [],
  name: 'Li Lei',
  email: 'lilei@example.com',
  phone: null,
  attributes: { plan: 'gold', seats: 12, vip: true },
  pageUrl: null,
  referrer: null,
  browser: null,
  os: null,
  language: null,
  timeZone: null,
  location: null,
  firstSeenAt: 1,
  lastSeenAt: 2,
  updatedAt: 2,
} satisfies Contact;

describe('contact draft', () => {
  it('an untouched draft changes nothing', () => {
    expect(patchOf(contact, draftOf(contact))).toEqual({});
  });

  it('sends only what changed: emptied fields and removed attributes as null, numbers and booleans kept as such', () => {
    const draft = draftOf(contact);
    draft.email = '  ';
    draft.phone = '+86 10 1234 5678';
    draft.attributes = [
      { key: 'seats', value: '13' },
      { key: 'vip', value: 'false' },
      { key: 'city', value: '北京' },
      { key: '', value: 'ignored' },
    ];
    expect(patchOf(contact, draft)).toEqual({ email: null, phone: '+86 10 1234 5678', attributes: { seats: 13, vip: false, city: '北京', plan: null } });
  });
});
