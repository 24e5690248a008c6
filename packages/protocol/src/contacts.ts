import { z } from 'zod';
import { Conversation, Id, TimestampMs } from './model.ts';

/**
 * Contacts: one profile per visitor (SPEC M11). The business sets name, email, phone and custom
 * attributes (the visitor SDK's `identify`, or the server API); agents edit them; the visitor SDK
 * reports where the visitor is (page, referrer, language, time zone) and the server reads the
 * browser and OS from the request. Two contacts may be merged: one keeps every visitor and
 * conversation of both.
 */

export const MAX_CONTACT_ATTRIBUTES = 50;
export const MAX_CONTACT_ATTRIBUTE_VALUE_LENGTH = 500;

/** An attribute's name: a letter, then letters, digits, `_`, `-` or `.` (at most 64). */
export const ContactAttributeKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, { message: 'an attribute name is a letter then up to 63 letters, digits, _, - or .' });
export const ContactAttributeValue = z.union([z.string().max(MAX_CONTACT_ATTRIBUTE_VALUE_LENGTH), z.number().finite(), z.boolean()]);
export type ContactAttributeValue = z.infer<typeof ContactAttributeValue>;
/** Attributes to set; `null` removes one. */
export const ContactAttributesPatch = z
  .record(ContactAttributeKey, ContactAttributeValue.nullable())
  .refine((record) => Object.keys(record).length <= MAX_CONTACT_ATTRIBUTES, { message: `at most ${MAX_CONTACT_ATTRIBUTES} attributes` });

const ContactName = z.string().trim().min(1).max(100);
const ContactEmail = z.string().trim().max(254).email();
/** Digits with an optional leading +, spaces, dashes, dots and parentheses (7–32 characters). */
const ContactPhone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()./-]{6,31}$/, { message: 'a phone number is digits with an optional leading +, spaces, dashes, dots or parentheses' })
  .refine((s) => (s.match(/[0-9]/g)?.length ?? 0) >= 5, { message: 'a phone number has at least 5 digits' });
const WebUrl = z
  .string()
  .max(2048)
  .url()
  .refine((s) => /^https?:\/\//i.test(s), { message: 'an http(s) URL' });
/** A BCP 47 language tag (zh-CN, en, pt-BR). */
const LanguageTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/, { message: 'a language tag such as zh-CN' });
/** An IANA time zone this runtime knows (Asia/Shanghai). */
const TimeZone = z
  .string()
  .max(64)
  .refine(isKnownTimeZone, { message: 'an IANA time zone such as Asia/Shanghai' });

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/.test(zone);
  } catch {
    return false;
  }
}

/** What the business says of its visitor: through the visitor SDK's `identify` or the server API. */
export const ContactProfileFields = z.object({
  name: ContactName.nullable().optional(),
  email: ContactEmail.nullable().optional(),
  phone: ContactPhone.nullable().optional(),
  attributes: ContactAttributesPatch.optional(),
});
export type ContactProfileFields = z.input<typeof ContactProfileFields>;

/** Where the visitor is now, as its browser knows it (the SDK reports it on connect). */
export const ContactVisitFields = z.object({
  pageUrl: WebUrl.optional(),
  /** The page the visitor came from; '' when none. */
  referrer: z.union([WebUrl, z.literal('')]).optional(),
  language: LanguageTag.optional(),
  timeZone: TimeZone.optional(),
});

/** `POST /v1/visitor/contact` (visitor token): the visitor's own contact. */
export const VisitorContactBody = ContactProfileFields.merge(ContactVisitFields);
export type VisitorContactBody = z.input<typeof VisitorContactBody>;

/** `PATCH /v1/contacts/:id` (agents, API keys): `null` clears a field or removes an attribute. */
export const UpdateContactBody = ContactProfileFields;
export type UpdateContactBody = z.input<typeof UpdateContactBody>;

/** `POST /v1/contacts/:id/merge`: the other contact, whose visitors and conversations move into this one. */
export const MergeContactBody = z.object({ contactId: Id });

export const ContactListQuery = z.object({
  /** Part of a name, email or phone number. */
  query: z.string().trim().max(100).optional(),
  /** The business's user id of an identified visitor. */
  externalId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const ContactVisitor = z.object({ id: Id, name: z.string(), externalId: z.string().nullable() });

export const Contact = z.object({
  id: Id,
  appId: Id,
  /** The visitors this contact is (one, or more after merges), the first one first. */
  visitors: z.array(ContactVisitor),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  attributes: z.record(z.string(), ContactAttributeValue),
  pageUrl: z.string().nullable(),
  referrer: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  language: z.string().nullable(),
  timeZone: z.string().nullable(),
  /** Where the visitor probably is, from the language's region and the time zone (e.g. "CN · Shanghai"). */
  location: z.string().nullable(),
  firstSeenAt: TimestampMs,
  lastSeenAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type Contact = z.infer<typeof Contact>;
export const ContactList = z.object({ contacts: z.array(Contact) });

/** A conversation on a contact's timeline, with its last message's text (null when none). */
export const ContactTimelineEntry = Conversation.extend({ preview: z.string().nullable() });
export type ContactTimelineEntry = z.infer<typeof ContactTimelineEntry>;
export const ContactTimeline = z.object({ conversations: z.array(ContactTimelineEntry) });
export type ContactTimeline = z.infer<typeof ContactTimeline>;
