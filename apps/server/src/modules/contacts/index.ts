/**
 * Contacts (SPEC M11): one profile per visitor (name, email, phone, the business's custom
 * attributes, where and on what it was last seen), and every conversation of its visitors on one
 * timeline. Owns the contacts and contact_visitors tables; a visitor is linked to exactly one live
 * contact, and a merge moves the links, so the timeline follows. Visitors come from identity,
 * conversations from the conversations module, both through functions passed in.
 */
export { createContactsService, type ContactsService } from './contacts.service.ts';
export { registerContactRoutes } from './contacts.routes.ts';
