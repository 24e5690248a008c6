import type { Contact, ContactListQuery, ContactTimelineEntry, UpdateContactBody, VisitorContactBody } from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { containsPattern } from '../../platform/storage/like-pattern.ts';
import type { DbOrTx, Tx } from '../../platform/storage/storage.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { applyAttributes, mergeProfiles, type ContactProfile } from './contact-profile.ts';
import { ContactError } from './contacts.errors.ts';
import { columnsOf, profileOf, toContact, type ContactRow, type ContactVisitorView } from './contacts.repository.ts';
import { deviceOf } from './visit-context.ts';

type ProfilePatch = z.output<typeof UpdateContactBody>;
type VisitInput = z.output<typeof VisitorContactBody>;
type ListQuery = z.output<typeof ContactListQuery>;

/** How many conversations a contact's timeline shows, newest first. */
export const CONTACT_TIMELINE_LIMIT = 50;
/** A merge chain longer than this is a bug, not data: stop following it. */
const MAX_MERGE_HOPS = 8;

export interface ContactsDeps {
  storage: Storage;
  clock: Clock;
  /** The visitors as a contact shows them, in the order given; unknown ids left out (identity module). */
  visitorsOf: (appId: string, visitorIds: readonly string[]) => Promise<ContactVisitorView[]>;
  /** Throws FD_VISITOR_NOT_FOUND for a visitor that is not the app's (identity module). */
  assertVisitor: (appId: string, visitorId: string) => Promise<void>;
  /** The app's visitor with this external id, if any (identity module). */
  visitorIdByExternalId: (appId: string, externalId: string) => Promise<string | undefined>;
  /** The visitors' conversations, newest first (conversations module). */
  conversationsOf: (appId: string, visitorIds: readonly string[], limit: number) => Promise<ContactTimelineEntry[]>;
}

/**
 * Contacts: one profile per visitor, created the first time it is asked for, kept current by what
 * the visitor's browser reports and what the business and agents set. A merge moves every visitor
 * of one contact to the other (their conversations follow: the timeline reads by visitor); the
 * merged contact answers with the one it joined from then on. Every query is scoped to the app.
 */
export function createContactsService(deps: ContactsDeps) {
  const { storage, clock } = deps;
  const { db } = storage;

  const notFound = (id: string) => new ContactError('FD_CONTACT_NOT_FOUND', `contact ${id} not found`);

  /** The visitor ids of each contact, in the order they were linked. */
  async function visitorIdsOf(appId: string, contactIds: readonly string[]): Promise<Map<string, string[]>> {
    const byContact = new Map<string, string[]>(contactIds.map((id) => [id, []]));
    if (contactIds.length === 0) return byContact;
    const rows = await db
      .selectFrom('contact_visitors')
      .select(['contact_id', 'visitor_id'])
      .where('app_id', '=', appId)
      .where('contact_id', 'in', [...contactIds])
      .orderBy('linked_at')
      .orderBy('visitor_id')
      .execute();
    for (const r of rows) byContact.get(r.contact_id)?.push(r.visitor_id);
    return byContact;
  }

  /** The contacts with their visitors: two reads however many contacts (a list page holds up to 100). */
  async function presentAll(appId: string, rows: readonly ContactRow[]): Promise<Contact[]> {
    const idsByContact = await visitorIdsOf(appId, rows.map((r) => r.id));
    const visitors = new Map((await deps.visitorsOf(appId, [...idsByContact.values()].flat())).map((v) => [v.id, v]));
    return rows.map((row) => toContact(row, (idsByContact.get(row.id) ?? []).flatMap((id) => visitors.get(id) ?? [])));
  }

  async function present(row: ContactRow): Promise<Contact> {
    const [contact] = await presentAll(row.app_id, [row]);
    return contact!;
  }

  /** The live contact of an id, following merges. */
  async function liveRow(from: DbOrTx, appId: string, id: string, lock = false): Promise<ContactRow> {
    let current = id;
    for (let hop = 0; hop <= MAX_MERGE_HOPS; hop += 1) {
      const query = from.selectFrom('contacts').selectAll().where('app_id', '=', appId).where('id', '=', current);
      const row = await (lock ? storage.forUpdate(query) : query).executeTakeFirst();
      if (!row) throw notFound(id);
      if (row.merged_into_id === null) return row;
      current = row.merged_into_id;
    }
    throw notFound(id);
  }

  async function linkedContactId(from: DbOrTx, appId: string, visitorId: string): Promise<string | undefined> {
    const link = await from.selectFrom('contact_visitors').select('contact_id').where('app_id', '=', appId).where('visitor_id', '=', visitorId).executeTakeFirst();
    return link?.contact_id;
  }

  /** The visitor's contact id, created (once, under any concurrency) on first sight. */
  async function ensureContactId(appId: string, visitorId: string): Promise<string> {
    const linked = await linkedContactId(db, appId, visitorId);
    if (linked) return linked;
    await deps.assertVisitor(appId, visitorId);
    const now = clock.now();
    const id = newId('ctc');
    try {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('contacts')
          .values({ id, app_id: appId, ...columnsOf(emptyProfile(now)), created_at: now, updated_at: now, merged_into_id: null })
          .execute();
        await tx.insertInto('contact_visitors').values({ app_id: appId, visitor_id: visitorId, contact_id: id, linked_at: now }).execute();
      });
      return id;
    } catch (err) {
      if (!storage.isUniqueViolation(err)) throw err;
      const winner = await linkedContactId(db, appId, visitorId);
      if (!winner) throw err;
      return winner;
    }
  }

  /** Changes one contact's profile under its row lock. */
  async function change(appId: string, contactId: string, next: (profile: ContactProfile, now: number) => ContactProfile): Promise<Contact> {
    const row = await db.transaction().execute(async (tx: Tx) => {
      const current = await liveRow(tx, appId, contactId, true);
      const now = clock.now();
      const values = { ...columnsOf(next(profileOf(current), now)), updated_at: now };
      await tx.updateTable('contacts').set(values).where('app_id', '=', appId).where('id', '=', current.id).execute();
      return { ...current, ...values };
    });
    return present(row);
  }

  return {
    /** The visitor's contact (created on first sight). */
    async contactOfVisitor(appId: string, visitorId: string): Promise<Contact> {
      return present(await liveRow(db, appId, await ensureContactId(appId, visitorId)));
    },

    /**
     * What the visitor's browser says (`POST /v1/visitor/contact`): the profile fields the business
     * set through `identify`, where the visitor is now, and its device (from `userAgent`). Seen now.
     */
    async recordVisit(appId: string, visitorId: string, input: VisitInput, userAgent: string | undefined): Promise<Contact> {
      const contactId = await ensureContactId(appId, visitorId);
      const device = deviceOf(userAgent);
      return change(appId, contactId, (profile, now) => ({
        ...patchProfile(profile, input),
        pageUrl: input.pageUrl ?? profile.pageUrl,
        referrer: input.referrer ? input.referrer : profile.referrer,
        browser: device.browser ?? profile.browser,
        os: device.os ?? profile.os,
        language: input.language ?? profile.language,
        timeZone: input.timeZone ?? profile.timeZone,
        lastSeenAt: Math.max(now, profile.lastSeenAt),
      }));
    },

    async getContact(appId: string, contactId: string): Promise<Contact> {
      return present(await liveRow(db, appId, contactId));
    },

    /** Recently seen contacts first; `query` matches part of a name, email or phone; `externalId` the business's user id. */
    async listContacts(appId: string, query: ListQuery): Promise<Contact[]> {
      if (query.externalId !== undefined) {
        const visitorId = await deps.visitorIdByExternalId(appId, query.externalId);
        if (!visitorId) return [];
        return [await present(await liveRow(db, appId, await ensureContactId(appId, visitorId)))];
      }
      let q = db.selectFrom('contacts').selectAll().where('app_id', '=', appId).where('merged_into_id', 'is', null);
      if (query.query) {
        const pattern = containsPattern(query.query);
        q = q.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['name']), 'like', eb.val(pattern)),
            eb(eb.fn('lower', ['email']), 'like', eb.val(pattern)),
            eb('phone', 'like', eb.val(pattern)),
          ]),
        );
      }
      const rows = await q.orderBy('last_seen_at', 'desc').orderBy('id').limit(query.limit).execute();
      return presentAll(appId, rows);
    },

    /** An agent's or the business's change: `null` clears a field or removes an attribute. */
    updateContact(appId: string, contactId: string, patch: ProfilePatch): Promise<Contact> {
      return change(appId, contactId, (profile) => patchProfile(profile, patch));
    },

    /**
     * Merges `mergedId` into `keptId`: `kept`'s fields win, `merged` fills the blanks, every visitor
     * of `merged` becomes `kept`'s, and `merged` answers with `kept` from then on.
     */
    async mergeContacts(appId: string, keptId: string, mergedId: string): Promise<Contact> {
      const row = await db.transaction().execute(async (tx) => {
        const kept = await liveRow(tx, appId, keptId, true);
        const merged = await liveRow(tx, appId, mergedId, true);
        if (kept.id === merged.id) throw new ContactError('FD_CONTACT_MERGE_INVALID', keptId === mergedId ? 'a contact cannot be merged with itself' : `contact ${mergedId} was already merged into ${kept.id}`);
        const now = clock.now();
        const values = { ...columnsOf(mergeProfiles(profileOf(kept), profileOf(merged))), updated_at: now };
        await tx.updateTable('contacts').set(values).where('app_id', '=', appId).where('id', '=', kept.id).execute();
        await tx.updateTable('contact_visitors').set({ contact_id: kept.id }).where('app_id', '=', appId).where('contact_id', '=', merged.id).execute();
        await tx.updateTable('contacts').set({ merged_into_id: kept.id, updated_at: now }).where('app_id', '=', appId).where('id', '=', merged.id).execute();
        // Contacts merged into `merged` earlier now answer with `kept` in one hop.
        await tx.updateTable('contacts').set({ merged_into_id: kept.id }).where('app_id', '=', appId).where('merged_into_id', '=', merged.id).execute();
        return { ...kept, ...values };
      });
      return present(row);
    },

    /** Every conversation of the contact's visitors, newest first (at most CONTACT_TIMELINE_LIMIT). */
    async timeline(appId: string, contactId: string): Promise<ContactTimelineEntry[]> {
      const row = await liveRow(db, appId, contactId);
      const visitorIds = (await visitorIdsOf(appId, [row.id])).get(row.id) ?? [];
      return visitorIds.length ? deps.conversationsOf(appId, visitorIds, CONTACT_TIMELINE_LIMIT) : [];
    },
  };
}

function emptyProfile(now: number): ContactProfile {
  return { name: null, email: null, phone: null, attributes: {}, pageUrl: null, referrer: null, browser: null, os: null, language: null, timeZone: null, firstSeenAt: now, lastSeenAt: now };
}

/** Undefined leaves a field as it is, null clears it; attributes are set or removed one by one. */
function patchProfile(profile: ContactProfile, patch: ProfilePatch): ContactProfile {
  return {
    ...profile,
    name: patch.name === undefined ? profile.name : patch.name,
    email: patch.email === undefined ? profile.email : patch.email,
    phone: patch.phone === undefined ? profile.phone : patch.phone,
    attributes: applyAttributes(profile.attributes, patch.attributes),
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
