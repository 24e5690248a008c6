import type { Contact, ContactTimelineEntry, UpdateContactBody } from '@frontdesk/protocol';
import type { RestClient } from '../rest.ts';
import type { SdkResult } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

const seg = encodeURIComponent;

/**
 * Contacts: one profile per visitor (name, email, phone, the business's attributes, where and on
 * what it was last seen) and its conversations on one timeline. REST only: any tab runs them.
 */
export interface ContactsNamespace {
  /** The visitor's contact (a conversation's `visitorId`); created on first sight. */
  ofVisitor(options: { visitorId: string }): Promise<SdkResult<Contact>>;
  get(options: { contactId: string }): Promise<SdkResult<Contact>>;
  /** Recently seen first; `query` matches part of a name, email or phone. */
  list(options?: { query?: string; limit?: number }): Promise<SdkResult<Contact[]>>;
  /** Every conversation of the contact, newest first, each with its last message. */
  timeline(options: { contactId: string }): Promise<SdkResult<ContactTimelineEntry[]>>;
  /** `null` clears a field or removes an attribute. */
  update(options: { contactId: string; patch: UpdateContactBody }): Promise<SdkResult<Contact>>;
  /** `otherContactId` joins `contactId`: its visitors and conversations move, `contactId`'s fields win. */
  merge(options: { contactId: string; otherContactId: string }): Promise<SdkResult<Contact>>;
}

export function createContactsNamespace({ local }: NamespaceContext, rest: RestClient): ContactsNamespace {
  return {
    ofVisitor: ({ visitorId }) => local(() => rest.get<Contact>(`/v1/visitors/${seg(visitorId)}/contact`)),
    get: ({ contactId }) => local(() => rest.get<Contact>(`/v1/contacts/${seg(contactId)}`)),
    list: (options = {}) => local(async () => (await rest.get<{ contacts: Contact[] }>('/v1/contacts', { query: options.query, limit: options.limit })).contacts),
    timeline: ({ contactId }) => local(async () => (await rest.get<{ conversations: ContactTimelineEntry[] }>(`/v1/contacts/${seg(contactId)}/conversations`)).conversations),
    update: ({ contactId, patch }) => local(() => rest.patch<Contact>(`/v1/contacts/${seg(contactId)}`, patch)),
    merge: ({ contactId, otherContactId }) => local(() => rest.post<Contact>(`/v1/contacts/${seg(contactId)}/merge`, { contactId: otherContactId })),
  };
}
