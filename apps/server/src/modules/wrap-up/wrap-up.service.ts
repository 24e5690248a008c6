import { MAX_WRAP_UP_LABELS, type Conversation, type CreateWrapUpLabelBody, type SetWrapUpBody, type UpdateWrapUpLabelBody, type WrapUp, type WrapUpLabel, type WrapUpLabelKind } from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { WrapUpError } from './wrap-up.errors.ts';

type LabelRow = Database['wrap_up_labels'];
type SetInput = z.output<typeof SetWrapUpBody>;

export interface WrapUpDeps {
  storage: Storage;
  clock: Clock;
  /** The conversation as the caller may see it; "not found" otherwise (conversations module). */
  conversationOf: (principal: Principal, conversationId: string) => Promise<Conversation>;
  /** Told of every wrap-up recorded, by label names (reports adds it to the conversation's CDR). */
  onRecorded?: (appId: string, conversationId: string, summary: WrapUpSummary) => Promise<void>;
}

/** A wrap-up as reports carry it: the disposition's and tags' names. */
export interface WrapUpSummary {
  Disposition: string | null;
  Tags: string[];
}

export function summaryOf(wrapUp: WrapUp): WrapUpSummary {
  return { Disposition: wrapUp.disposition?.name ?? null, Tags: wrapUp.tags.map((t) => t.name) };
}

/**
 * Disposition codes and tags the admins keep, and each conversation's wrap-up: recorded by the
 * conversation's agent (during it or after its end) or by a supervisor; other agents may read it.
 */
export function createWrapUpService({ storage, clock, conversationOf, onRecorded }: WrapUpDeps) {
  const { db } = storage;

  async function findLabel(appId: string, id: string): Promise<LabelRow> {
    const row = await db.selectFrom('wrap_up_labels').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new WrapUpError('FD_WRAP_UP_LABEL_NOT_FOUND', `wrap-up label ${id} not found`);
    return row;
  }

  function nameTaken(err: unknown, name: string): never {
    if (storage.isUniqueViolation(err)) throw new WrapUpError('FD_WRAP_UP_LABEL_TAKEN', `"${name}" already exists`);
    throw err;
  }

  async function labelsById(appId: string, ids: readonly string[]): Promise<Map<string, LabelRow>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('wrap_up_labels').selectAll().where('app_id', '=', appId).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  function assertUsable(label: LabelRow | undefined, id: string, kind: WrapUpLabelKind): LabelRow {
    if (!label) throw new WrapUpError('FD_WRAP_UP_LABEL_NOT_FOUND', `wrap-up label ${id} not found`);
    if (label.kind !== kind) throw new WrapUpError('FD_WRAP_UP_LABEL_INVALID', `${label.name} is a ${label.kind}, not a ${kind}`);
    if (label.archived === 1) throw new WrapUpError('FD_WRAP_UP_LABEL_INVALID', `${label.name} is archived`);
    return label;
  }

  /** `known`: the row's labels when the caller has them already (it just checked them). */
  async function present(row: Database['conversation_wrap_ups'], known?: Map<string, LabelRow>): Promise<WrapUp> {
    const tagIds = JSON.parse(row.tag_ids) as string[];
    const labels = known ?? (await labelsById(row.app_id, row.disposition_id ? [row.disposition_id, ...tagIds] : tagIds));
    const disposition = row.disposition_id ? labels.get(row.disposition_id) : undefined;
    return {
      conversationId: row.conversation_id,
      agentId: row.agent_id,
      disposition: disposition ? toLabel(disposition) : null,
      tags: tagIds.flatMap((id) => (labels.has(id) ? [toLabel(labels.get(id)!)] : [])),
      note: row.note,
      updatedAt: Number(row.updated_at),
    };
  }

  return {
    /** Every label of the app (archived ones too, marked), by kind then name. */
    async listLabels(appId: string): Promise<WrapUpLabel[]> {
      const rows = await db.selectFrom('wrap_up_labels').selectAll().where('app_id', '=', appId).orderBy('kind').orderBy('name').execute();
      return rows.map(toLabel);
    },

    async createLabel(appId: string, input: z.output<typeof CreateWrapUpLabelBody>): Promise<WrapUpLabel> {
      const { count } = await db.selectFrom('wrap_up_labels').select((eb) => eb.fn.countAll<string | number>().as('count')).where('app_id', '=', appId).executeTakeFirstOrThrow();
      if (Number(count) >= MAX_WRAP_UP_LABELS) throw new WrapUpError('FD_WRAP_UP_LABEL_LIMIT_REACHED', `an app keeps at most ${MAX_WRAP_UP_LABELS} disposition codes and tags`);
      const row: LabelRow = { id: newId('wul'), app_id: appId, kind: input.kind, name: input.name, archived: 0, created_at: clock.now() };
      await db.insertInto('wrap_up_labels').values(row).execute().catch((err: unknown) => nameTaken(err, input.name));
      return toLabel(row);
    },

    /** Renames or archives (unarchives) a label; past wrap-ups keep it. */
    async updateLabel(appId: string, id: string, input: z.output<typeof UpdateWrapUpLabelBody>): Promise<WrapUpLabel> {
      const current = await findLabel(appId, id);
      const next: LabelRow = { ...current, name: input.name ?? current.name, archived: input.isArchived === undefined ? current.archived : input.isArchived ? 1 : 0 };
      await db
        .updateTable('wrap_up_labels')
        .set({ name: next.name, archived: next.archived })
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .execute()
        .catch((err: unknown) => nameTaken(err, next.name));
      return toLabel(next);
    },

    async getWrapUp(principal: Principal, conversationId: string): Promise<WrapUp | null> {
      const conversation = await conversationOf(principal, conversationId);
      const row = await db.selectFrom('conversation_wrap_ups').selectAll().where('app_id', '=', principal.appId).where('conversation_id', '=', conversation.id).executeTakeFirst();
      return row ? present(row) : null;
    },

    /** Records (replaces) the wrap-up: the conversation's agent, or a supervisor. */
    async setWrapUp(principal: Principal, conversationId: string, input: SetInput): Promise<WrapUp> {
      if (principal.kind === 'visitor') throw new DomainError('FD_AUTH_FORBIDDEN', 'visitors do not wrap up');
      const conversation = await conversationOf(principal, conversationId);
      const isOwn = principal.kind === 'agent' && conversation.agentId === principal.agentId;
      if (!isOwn && !hasRole(principal, 'supervisor')) throw new DomainError('FD_AUTH_FORBIDDEN', "only the conversation's agent or a supervisor wraps it up");
      const tagIds = [...new Set(input.tagIds)];
      const labels = await labelsById(principal.appId, input.dispositionId ? [input.dispositionId, ...tagIds] : tagIds);
      if (input.dispositionId) assertUsable(labels.get(input.dispositionId), input.dispositionId, 'disposition');
      for (const id of tagIds) assertUsable(labels.get(id), id, 'tag');
      const row: Database['conversation_wrap_ups'] = {
        app_id: principal.appId,
        conversation_id: conversation.id,
        agent_id: principal.kind === 'agent' ? principal.agentId : null,
        disposition_id: input.dispositionId,
        tag_ids: JSON.stringify(tagIds),
        note: input.note,
        updated_at: clock.now(),
      };
      await db
        .insertInto('conversation_wrap_ups')
        .values(row)
        .onConflict((oc) => oc.columns(['app_id', 'conversation_id']).doUpdateSet({ agent_id: row.agent_id, disposition_id: row.disposition_id, tag_ids: row.tag_ids, note: row.note, updated_at: row.updated_at }))
        .execute();
      const wrapUp = await present(row, labels);
      await onRecorded?.(principal.appId, conversation.id, summaryOf(wrapUp));
      return wrapUp;
    },

    /** The wrap-up of a conversation of the app as reports carry it (no caller: the CDR writer's read). */
    async summaryFor(appId: string, conversationId: string): Promise<WrapUpSummary | null> {
      const row = await db.selectFrom('conversation_wrap_ups').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).executeTakeFirst();
      return row ? summaryOf(await present(row)) : null;
    },
  };
}

function toLabel(row: LabelRow): WrapUpLabel {
  return { id: row.id, kind: row.kind as WrapUpLabelKind, name: row.name, isArchived: row.archived === 1, createdAt: Number(row.created_at) };
}

export type WrapUpService = ReturnType<typeof createWrapUpService>;
