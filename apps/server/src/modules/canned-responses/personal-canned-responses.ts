import { MAX_PERSONAL_CANNED_RESPONSES, type CannedResponse, type CreateCannedResponseBody, type UpdateCannedResponseBody } from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { CannedResponseError } from './canned-responses.errors.ts';

type Row = Database['personal_canned_responses'];
type CreateInput = z.output<typeof CreateCannedResponseBody>;
type UpdateInput = z.output<typeof UpdateCannedResponseBody>;

/**
 * Each agent's own canned responses: only that agent lists, uses, changes or deletes them (another
 * agent, even a supervisor, gets "not found"). A shortcut is unique among the agent's own; the same
 * shortcut as an app's response is allowed (the picker shows both, the agent's first).
 */
export function createPersonalCannedResponses({ storage, clock }: { storage: Storage; clock: Clock }) {
  const { db } = storage;

  async function findRow(appId: string, agentId: string, id: string): Promise<Row> {
    const row = await db.selectFrom('personal_canned_responses').selectAll().where('app_id', '=', appId).where('agent_id', '=', agentId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new CannedResponseError('FD_CANNED_RESPONSE_NOT_FOUND', `canned response ${id} not found`);
    return row;
  }

  function shortcutTaken(err: unknown, shortcut: string): never {
    if (storage.isUniqueViolation(err)) throw new CannedResponseError('FD_CANNED_RESPONSE_SHORTCUT_TAKEN', `you already have a response with the shortcut /${shortcut}`);
    throw err;
  }

  return {
    async list(appId: string, agentId: string): Promise<CannedResponse[]> {
      const rows = await db.selectFrom('personal_canned_responses').selectAll().where('app_id', '=', appId).where('agent_id', '=', agentId).orderBy('shortcut').execute();
      return rows.map(toPersonal);
    },

    async create(appId: string, agentId: string, input: CreateInput): Promise<CannedResponse> {
      const { count } = await db
        .selectFrom('personal_canned_responses')
        .select((eb) => eb.fn.countAll<string | number>().as('count'))
        .where('app_id', '=', appId)
        .where('agent_id', '=', agentId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= MAX_PERSONAL_CANNED_RESPONSES) throw new CannedResponseError('FD_CANNED_RESPONSE_LIMIT_REACHED', `an agent keeps at most ${MAX_PERSONAL_CANNED_RESPONSES} personal canned responses`);
      const now = clock.now();
      const row: Row = { id: newId('pcan'), app_id: appId, agent_id: agentId, shortcut: input.shortcut, title: input.title, text: input.text, created_at: now, updated_at: now };
      await db.insertInto('personal_canned_responses').values(row).execute().catch((err: unknown) => shortcutTaken(err, input.shortcut));
      return toPersonal(row);
    },

    async update(appId: string, agentId: string, id: string, input: UpdateInput): Promise<CannedResponse> {
      const current = await findRow(appId, agentId, id);
      const next: Row = { ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)), updated_at: clock.now() };
      await db
        .updateTable('personal_canned_responses')
        .set({ shortcut: next.shortcut, title: next.title, text: next.text, updated_at: next.updated_at })
        .where('app_id', '=', appId)
        .where('agent_id', '=', agentId)
        .where('id', '=', id)
        .execute()
        .catch((err: unknown) => shortcutTaken(err, next.shortcut));
      return toPersonal(next);
    },

    async remove(appId: string, agentId: string, id: string): Promise<void> {
      await findRow(appId, agentId, id);
      await db.deleteFrom('personal_canned_responses').where('app_id', '=', appId).where('agent_id', '=', agentId).where('id', '=', id).execute();
    },
  };
}

function toPersonal(row: Row): CannedResponse {
  return { id: row.id, appId: row.app_id, ownerAgentId: row.agent_id, shortcut: row.shortcut, title: row.title, text: row.text, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}

export type PersonalCannedResponses = ReturnType<typeof createPersonalCannedResponses>;
