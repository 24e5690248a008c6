import type { Contact } from '@frontdesk/protocol';
import type { Database } from '../../platform/storage/schema.ts';
import type { ContactAttributes, ContactProfile } from './contact-profile.ts';
import { locationOf } from './visit-context.ts';

export type ContactRow = Database['contacts'];

/** A visitor as a contact shows it (from the identity module). */
export interface ContactVisitorView {
  id: string;
  name: string;
  externalId: string | null;
}

export function profileOf(row: ContactRow): ContactProfile {
  return {
    name: row.name,
    email: row.email,
    phone: row.phone,
    attributes: parseAttributes(row.attributes),
    pageUrl: row.page_url,
    referrer: row.referrer,
    browser: row.browser,
    os: row.os,
    language: row.language,
    timeZone: row.time_zone,
    firstSeenAt: Number(row.first_seen_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

/** The columns a profile writes. */
export function columnsOf(profile: ContactProfile): Omit<ContactRow, 'id' | 'app_id' | 'created_at' | 'updated_at' | 'merged_into_id'> {
  return {
    name: profile.name,
    email: profile.email,
    phone: profile.phone,
    attributes: JSON.stringify(profile.attributes),
    page_url: profile.pageUrl,
    referrer: profile.referrer,
    browser: profile.browser,
    os: profile.os,
    language: profile.language,
    time_zone: profile.timeZone,
    first_seen_at: profile.firstSeenAt,
    last_seen_at: profile.lastSeenAt,
  };
}

function parseAttributes(text: string): ContactAttributes {
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ContactAttributes) : {};
}

export function toContact(row: ContactRow, visitors: ContactVisitorView[]): Contact {
  const profile = profileOf(row);
  return {
    id: row.id,
    appId: row.app_id,
    visitors,
    name: profile.name,
    email: profile.email,
    phone: profile.phone,
    attributes: profile.attributes,
    pageUrl: profile.pageUrl,
    referrer: profile.referrer,
    browser: profile.browser,
    os: profile.os,
    language: profile.language,
    timeZone: profile.timeZone,
    location: locationOf(profile.language, profile.timeZone),
    firstSeenAt: profile.firstSeenAt,
    lastSeenAt: profile.lastSeenAt,
    updatedAt: Number(row.updated_at),
  };
}
