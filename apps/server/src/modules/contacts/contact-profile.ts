import { MAX_CONTACT_ATTRIBUTES, type ContactAttributeValue } from '@frontdesk/protocol';
import { ContactError } from './contacts.errors.ts';

export type ContactAttributes = Record<string, ContactAttributeValue>;

/** The fields of a contact that a merge combines (the rest: ids, visitors, times, are the shell's). */
export interface ContactProfile {
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: ContactAttributes;
  pageUrl: string | null;
  referrer: string | null;
  browser: string | null;
  os: string | null;
  language: string | null;
  timeZone: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Sets the patch's attributes and removes those it sets to null; refuses more than MAX_CONTACT_ATTRIBUTES. */
export function applyAttributes(current: ContactAttributes, patch: Record<string, ContactAttributeValue | null> | undefined): ContactAttributes {
  if (!patch) return current;
  const next: ContactAttributes = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  assertWithinLimit(next);
  return next;
}

function assertWithinLimit(attributes: ContactAttributes): void {
  const count = Object.keys(attributes).length;
  if (count > MAX_CONTACT_ATTRIBUTES) throw new ContactError('FD_CONTACT_ATTRIBUTES_LIMIT', `a contact holds at most ${MAX_CONTACT_ATTRIBUTES} attributes (this one would have ${count})`);
}

/**
 * The profile of `kept` after `merged` joins it: what `kept` says wins, `merged` fills its blanks
 * (attributes key by key); the visit fields are those of whichever was seen last; first seen is
 * the earlier one.
 */
export function mergeProfiles(kept: ContactProfile, merged: ContactProfile): ContactProfile {
  const latest = merged.lastSeenAt > kept.lastSeenAt ? merged : kept;
  const attributes = { ...merged.attributes, ...kept.attributes };
  assertWithinLimit(attributes);
  return {
    name: kept.name ?? merged.name,
    email: kept.email ?? merged.email,
    phone: kept.phone ?? merged.phone,
    attributes,
    pageUrl: latest.pageUrl ?? kept.pageUrl ?? merged.pageUrl,
    referrer: latest.referrer ?? kept.referrer ?? merged.referrer,
    browser: latest.browser ?? kept.browser ?? merged.browser,
    os: latest.os ?? kept.os ?? merged.os,
    language: latest.language ?? kept.language ?? merged.language,
    timeZone: latest.timeZone ?? kept.timeZone ?? merged.timeZone,
    firstSeenAt: Math.min(kept.firstSeenAt, merged.firstSeenAt),
    lastSeenAt: Math.max(kept.lastSeenAt, merged.lastSeenAt),
  };
}
