import type { CannedResponse, CreateCannedResponseBody, UpdateCannedResponseBody } from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { CannedResponseError } from './canned-responses.errors.ts';
import { createPersonalCannedResponses } from './personal-canned-responses.ts';

type Row = Database['canned_responses'];
type CreateInput = z.output<typeof CreateCannedResponseBody>;
type UpdateInput = z.output<typeof UpdateCannedResponseBody>;

export function createCannedResponsesService({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;
  const personal = createPersonalCannedResponses({ storage, clock });

  async function findRow(appId: string, id: string): Promise<Row> {
    const row = await db.selectFrom('canned_responses').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new CannedResponseError('FD_CANNED_RESPONSE_NOT_FOUND', `canned response ${id} not found`);
    return row;
  }

  function shortcutTaken(err: unknown, shortcut: string | undefined): never {
    if (storage.isUniqueViolation(err)) throw new CannedResponseError('FD_CANNED_RESPONSE_SHORTCUT_TAKEN', `the shortcut /${shortcut} is taken in this app`);
    throw err;
  }

  return {
    /** The app's responses and, for an agent, its own, by shortcut (the agent's first on the same shortcut). */
    async listCannedResponses(appId: string, agentId?: string): Promise<CannedResponse[]> {
      const rows = await db.selectFrom('canned_responses').selectAll().where('app_id', '=', appId).orderBy('shortcut').execute();
      const shared = rows.map(toCannedResponse);
      if (agentId === undefined) return shared;
      const own = await personal.list(appId, agentId);
      return [...own, ...shared].sort((a, b) => (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0));
    },

    /** An agent's own responses (`personal_canned_responses`). */
    personal,

    async createCannedResponse(appId: string, input: CreateInput): Promise<CannedResponse> {
      const now = clock.now();
      const row: Row = { id: newId('can'), app_id: appId, shortcut: input.shortcut, title: input.title, text: input.text, created_at: now, updated_at: now };
      await db.insertInto('canned_responses').values(row).execute().catch((err: unknown) => shortcutTaken(err, input.shortcut));
      return toCannedResponse(row);
    },

    async updateCannedResponse(appId: string, id: string, input: UpdateInput): Promise<CannedResponse> {
      const current = await findRow(appId, id);
      const next: Row = { ...current, ...definedOf(input), updated_at: clock.now() };
      await db
        .updateTable('canned_responses')
        .set({ shortcut: next.shortcut, title: next.title, text: next.text, updated_at: next.updated_at })
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .execute()
        .catch((err: unknown) => shortcutTaken(err, next.shortcut));
      return toCannedResponse(next);
    },

    async deleteCannedResponse(appId: string, id: string): Promise<void> {
      await findRow(appId, id);
      await db.deleteFrom('canned_responses').where('app_id', '=', appId).where('id', '=', id).execute();
    },
  };
}

function definedOf(input: UpdateInput): Partial<Pick<Row, 'shortcut' | 'title' | 'text'>> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

function toCannedResponse(row: Row): CannedResponse {
  return { id: row.id, appId: row.app_id, ownerAgentId: null, shortcut: row.shortcut, title: row.title, text: row.text, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}

export type CannedResponsesService = ReturnType<typeof createCannedResponsesService>;
