import type { Contact, ContactProfileFields } from '@frontdesk/protocol';
import type { HttpClient } from './http.ts';
import type { VisitorToken } from './visitor-token.ts';

/** What the business says of its visitor: `null` clears a field or removes an attribute. */
export type ContactProfileInput = ContactProfileFields;

/** Where the visitor is, as its browser knows it: nothing outside a browser page. */
export interface VisitContext {
  pageUrl?: string;
  referrer?: string;
  language?: string;
  timeZone?: string;
}

/** The page, the referrer from another site, the browser's language and time zone (each when known). */
export function browserVisitContext(): VisitContext {
  const context: VisitContext = {};
  const g = globalThis as { location?: { href: string; origin: string }; document?: { referrer: string }; navigator?: { language?: string } };
  if (g.location && /^https?:/.test(g.location.href)) context.pageUrl = g.location.href.slice(0, 2048);
  const referrer = g.document?.referrer;
  // A referrer of the same site says only that the visitor moved between its pages.
  if (referrer && /^https?:/.test(referrer) && !(g.location && referrer.startsWith(g.location.origin))) context.referrer = referrer.slice(0, 2048);
  if (g.navigator?.language) context.language = g.navigator.language;
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) context.timeZone = zone;
  } catch {
    // No Intl time zones here: the contact simply has none.
  }
  return context;
}

/**
 * The visitor's contact (`POST /v1/visitor/contact`): the business's profile fields with where the
 * visitor is now (so a single-page app's current page is known too). Loaded on first use.
 */
export function identifyVisitor(http: HttpClient, visitorToken: VisitorToken, profile: ContactProfileInput): Promise<Contact> {
  const body = { ...browserVisitContext(), ...profile };
  return visitorToken.authed((token) => http.request<Contact>({ method: 'POST', path: '/v1/visitor/contact', token, body }));
}
