import { Contact, ContactList, ContactListQuery, ContactTimeline, IdParams, MergeContactBody, UpdateContactBody, VisitorContactBody } from '@frontdesk/protocol';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { ContactsService } from './contacts.service.ts';

/**
 * A visitor reports and identifies itself (its own contact only); every agent of the app reads,
 * edits and merges contacts; API keys (the business's server) do the same.
 */
export function registerContactRoutes(http: HttpServer, { contacts, auth }: { contacts: ContactsService; auth: AuthHooks }) {
  const tags = ['contacts'];
  const staff = auth.staff('agent');

  http.post(
    '/v1/visitor/contact',
    {
      preHandler: auth.anyone,
      schema: {
        tags,
        summary: "The visitor's own contact: name, email, phone and attributes the business sets (SDK identify), and the page, referrer, language and time zone of its browser",
        body: VisitorContactBody,
        response: { 200: Contact },
      },
    },
    (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'visitor') throw new DomainError('FD_AUTH_FORBIDDEN', 'only a visitor reports its own contact; staff use PATCH /v1/contacts/:id');
      return contacts.recordVisit(principal.appId, principal.visitorId, request.body, request.headers['user-agent']);
    },
  );

  http.get(
    '/v1/contacts',
    { preHandler: staff, schema: { tags, summary: "The app's contacts, recently seen first; by part of a name, email or phone, or by the business's user id", querystring: ContactListQuery, response: { 200: ContactList } } },
    async (request) => ({ contacts: await contacts.listContacts(principalOf(request).appId, request.query) }),
  );

  http.get(
    '/v1/visitors/:id/contact',
    { preHandler: staff, schema: { tags, summary: "A visitor's contact (created on first sight)", params: IdParams, response: { 200: Contact } } },
    (request) => contacts.contactOfVisitor(principalOf(request).appId, request.params.id),
  );

  http.get(
    '/v1/contacts/:id',
    { preHandler: staff, schema: { tags, summary: 'One contact (a merged one answers with the contact it joined)', params: IdParams, response: { 200: Contact } } },
    (request) => contacts.getContact(principalOf(request).appId, request.params.id),
  );

  http.patch(
    '/v1/contacts/:id',
    { preHandler: staff, schema: { tags, summary: 'Change a contact: null clears a field or removes an attribute', params: IdParams, body: UpdateContactBody, response: { 200: Contact } } },
    (request) => contacts.updateContact(principalOf(request).appId, request.params.id, request.body),
  );

  http.post(
    '/v1/contacts/:id/merge',
    {
      preHandler: staff,
      schema: { tags, summary: "Merge another contact into this one: this one's fields win, the other's visitors and conversations join it", params: IdParams, body: MergeContactBody, response: { 200: Contact } },
    },
    (request) => contacts.mergeContacts(principalOf(request).appId, request.params.id, request.body.contactId),
  );

  http.get(
    '/v1/contacts/:id/conversations',
    { preHandler: staff, schema: { tags, summary: "The contact's conversations on one timeline, newest first, each with its last message", params: IdParams, response: { 200: ContactTimeline } } },
    async (request) => ({ conversations: await contacts.timeline(principalOf(request).appId, request.params.id) }),
  );
}
