import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { RoutingService } from '../routing/index.ts';
import { AnyChatError } from './anychat.errors.ts';
import { parse, type Method, type Reply } from './anychat-parse.ts';

// AnyChat objecttype 4 = area (服务区域/营业厅), 5 = queue, 9 = skill (技能: no native object, kept in
// `anychat_objects`; an agent given skill groups serves the queues that list them), 10 = queue group.
export const OBJECT_TYPE = { area: 4, queue: 5, skill: 9, queueGroup: 10 } as const;
const ALL_TYPES = -1;
const APP_SCOPE_GUID = '00000000-0000-0000-0000-000000000000';

export type ObjectsRouting = Pick<
  RoutingService,
  'listAreas' | 'createArea' | 'renameArea' | 'deleteArea' | 'listQueues' | 'createQueue' | 'updateQueue' | 'deleteQueue' | 'listQueueGroups' | 'createQueueGroup' | 'updateQueueGroup' | 'deleteQueueGroup'
>;

/** An object as the seed's object_info_get describes it. */
export interface AnyChatObject {
  objectguid: string;
  objecttype: number;
  /** Integer id (AnyChat objectid): the native object's numericId, a skill's own. */
  objectid: number;
  /** The area of a queue (its objectid), else 0. */
  parentobjectid: number;
  /** Ours: the area's guid, for callers that use guids (as before integers were kept). */
  parentobjectguid: string | null;
  name: string;
  description: string;
  priority?: number;
  skillgroups?: number[];
  queuegroups?: number[];
}

const Guid = z.string().min(1).max(100);
const IntIds = z.array(z.number().int()).max(200);
/** Queue groups list their queues by objectid (the seed: Integer-Array) or by guid (ours). */
const QueueRefs = z.array(z.union([z.number().int(), Guid])).max(200);

const SetBody = z.object({
  action: z.union([z.literal(1), z.literal(2), z.literal(3)]), // AnyChat action 1 create, 2 delete, 3 modify
  objectguid: Guid.optional(),
  objectid: z.number().int().min(1).max(2_147_483_647).optional(),
  objecttype: z.number().int().optional(),
  parentobjectid: z.number().int().nullable().optional(),
  parentobjectguid: Guid.nullable().optional(),
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(200).optional(),
  flags: z.number().int().optional(),
  priority: z.number().int().min(0).max(100).optional(),
  skillgroups: IntIds.optional(),
  queuegroups: QueueRefs.optional(),
  param: z.number().int().optional(),
  strparam: z.string().max(1000).optional(),
});

/**
 * AnyChat's intelligent-queue objects (seed 003 object_*) over routing's areas, queues and queue
 * groups, plus what AnyChat has and routing has not: descriptions, a queue's skill groups, and
 * skill objects. Native objects keep their own numeric ids (routing's numericId).
 */
export function createAnyChatObjects({ storage, clock, routing }: { storage: Storage; clock: Clock; routing: ObjectsRouting }) {
  const { db } = storage;

  async function extrasOf(appId: string) {
    const rows = await db.selectFrom('anychat_objects').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
    return new Map(rows.map((r) => [r.object_guid, r] as const));
  }

  async function saveExtras(appId: string, guid: string, type: number, patch: { description?: string | undefined; skillgroups?: number[] | undefined }): Promise<void> {
    if (patch.description === undefined && patch.skillgroups === undefined) return;
    const current = await db.selectFrom('anychat_objects').selectAll().where('app_id', '=', appId).where('object_guid', '=', guid).executeTakeFirst();
    const description = patch.description ?? current?.description ?? '';
    const skillGroups = JSON.stringify(patch.skillgroups ?? (current ? JSON.parse(current.skill_groups) : []));
    if (current) {
      await db.updateTable('anychat_objects').set({ description, skill_groups: skillGroups }).where('app_id', '=', appId).where('object_guid', '=', guid).execute();
      return;
    }
    await db.insertInto('anychat_objects').values({ app_id: appId, object_guid: guid, object_type: type, numeric_id: null, name: null, description, skill_groups: skillGroups, created_at: clock.now() }).execute();
  }

  async function objectsOf(appId: string): Promise<AnyChatObject[]> {
    const [areas, queues, groups, extras] = await Promise.all([routing.listAreas(appId), routing.listQueues(appId), routing.listQueueGroups(appId), extrasOf(appId)]);
    const areaNumber = new Map(areas.map((a) => [a.id, a.numericId] as const));
    const queueNumber = new Map(queues.map((q) => [q.id, q.numericId] as const));
    const description = (guid: string) => extras.get(guid)?.description ?? '';
    const skillGroups = (guid: string) => JSON.parse(extras.get(guid)?.skill_groups ?? '[]') as number[];
    return [
      ...areas.map((a) => ({ objectguid: a.id, objecttype: OBJECT_TYPE.area, objectid: a.numericId, parentobjectid: 0, parentobjectguid: null, name: a.name, description: description(a.id) })),
      ...queues.map((q) => ({
        objectguid: q.id,
        objecttype: OBJECT_TYPE.queue,
        objectid: q.numericId,
        parentobjectid: (q.areaId && areaNumber.get(q.areaId)) || 0,
        parentobjectguid: q.areaId,
        name: q.name,
        description: description(q.id),
        priority: q.priority,
        skillgroups: skillGroups(q.id),
      })),
      ...[...extras.values()]
        .filter((e) => e.object_type === OBJECT_TYPE.skill)
        .map((e) => ({ objectguid: e.object_guid, objecttype: OBJECT_TYPE.skill, objectid: Number(e.numeric_id), parentobjectid: 0, parentobjectguid: null, name: e.name ?? '', description: e.description })),
      ...groups.map((g) => ({
        objectguid: g.id,
        objecttype: OBJECT_TYPE.queueGroup,
        objectid: g.numericId,
        parentobjectid: 0,
        parentobjectguid: null,
        name: g.name,
        description: description(g.id),
        queuegroups: g.queueIds.flatMap((id) => queueNumber.get(id) ?? []),
      })),
    ];
  }

  async function findObject(appId: string, guid: string): Promise<AnyChatObject> {
    const found = (await objectsOf(appId)).find((o) => o.objectguid === guid);
    if (!found) throw new AnyChatError('PARAM_INVALID', `object ${guid} not found`);
    return found;
  }

  /** An area by its objectid (the seed's parentobjectid) or its guid (ours); null for none. */
  async function areaOf(appId: string, input: { parentobjectid?: number | null | undefined; parentobjectguid?: string | null | undefined }): Promise<string | null | undefined> {
    if (input.parentobjectid !== undefined && input.parentobjectid !== null && input.parentobjectid !== 0) {
      const area = (await routing.listAreas(appId)).find((a) => a.numericId === input.parentobjectid);
      if (!area) throw new AnyChatError('PARAM_INVALID', `area ${input.parentobjectid} not found`);
      return area.id;
    }
    if (input.parentobjectid === 0 || input.parentobjectid === null) return null;
    return input.parentobjectguid;
  }

  /** Queue guids from objectids or guids. */
  async function queueIdsOf(appId: string, refs: (number | string)[] | undefined): Promise<string[] | undefined> {
    if (refs === undefined) return undefined;
    const queues = await routing.listQueues(appId);
    return refs.map((ref) => {
      const queue = queues.find((q) => (typeof ref === 'number' ? q.numericId === ref : q.id === ref));
      if (!queue) throw new AnyChatError('PARAM_INVALID', `queue ${ref} not found`);
      return queue.id;
    });
  }

  async function createSkill(appId: string, input: { objectid?: number | undefined; name: string; description?: string | undefined }): Promise<string> {
    return db.transaction().execute(async (tx) => {
      await storage.lockKey(tx, `anychat-skills:${appId}`);
      const used = await tx.selectFrom('anychat_objects').select('numeric_id').where('app_id', '=', appId).where('object_type', '=', OBJECT_TYPE.skill).execute();
      const numbers = used.map((u) => Number(u.numeric_id));
      if (input.objectid !== undefined && numbers.includes(input.objectid)) throw new AnyChatError('PARAM_INVALID', `objectid ${input.objectid} is already a skill`);
      const guid = newId('skill');
      await tx
        .insertInto('anychat_objects')
        .values({ app_id: appId, object_guid: guid, object_type: OBJECT_TYPE.skill, numeric_id: input.objectid ?? Math.max(0, ...numbers) + 1, name: input.name, description: input.description ?? '', skill_groups: '[]', created_at: clock.now() })
        .execute();
      return guid;
    });
  }

  const methods: Record<string, Method> = {
    async object_idlist_get(appId, body) {
      const { objecttype } = parse(z.object({ objecttype: z.number().int() }), body);
      const objects = (await objectsOf(appId)).filter((o) => objecttype === ALL_TYPES || o.objecttype === objecttype);
      return { objectcount: objects.length, objectguids: objects.map((o) => o.objectguid) };
    },

    async object_list_get(appId, body) {
      const { objecttype, objectguid } = parse(z.object({ objecttype: z.number().int(), objectguid: Guid.optional() }), body);
      let objects = (await objectsOf(appId)).filter((o) => objecttype === ALL_TYPES || o.objecttype === objecttype);
      if (objectguid && objectguid !== APP_SCOPE_GUID) {
        await findObject(appId, objectguid);
        objects = objects.filter((o) => o.parentobjectguid === objectguid);
      }
      return { objectcount: objects.length, objectlist: objects.map((o) => ({ objectguid: o.objectguid, objecttype: o.objecttype, name: o.name, objectid: o.objectid, description: o.description })) };
    },

    async object_info_get(appId, body) {
      const { objectguid } = parse(z.object({ objectguid: Guid }), body);
      return { ...(await findObject(appId, objectguid)) } as Reply;
    },

    async object_info_set(appId, body) {
      const input = parse(SetBody, body);
      if (input.action === 1) {
        if (input.objecttype === undefined || input.name === undefined) throw new AnyChatError('BODY_INVALID', 'objecttype and name are required to create');
        const numericId = input.objectid;
        let guid: string;
        if (input.objecttype === OBJECT_TYPE.area) guid = (await routing.createArea(appId, input.name, numericId)).id;
        else if (input.objecttype === OBJECT_TYPE.queue) {
          const areaId = (await areaOf(appId, input)) ?? null;
          guid = (await routing.createQueue(appId, { name: input.name, areaId, numericId, ...(input.priority === undefined ? {} : { priority: input.priority }) })).id;
        } else if (input.objecttype === OBJECT_TYPE.queueGroup) {
          guid = (await routing.createQueueGroup(appId, { name: input.name, queueIds: (await queueIdsOf(appId, input.queuegroups)) ?? [], numericId })).id;
        } else if (input.objecttype === OBJECT_TYPE.skill) return { objectguid: await createSkill(appId, { objectid: numericId, name: input.name, description: input.description }) };
        else throw new AnyChatError('PARAM_INVALID', `objecttype ${input.objecttype} cannot be set`);
        await saveExtras(appId, guid, input.objecttype, { description: input.description, skillgroups: input.objecttype === OBJECT_TYPE.queue ? (input.skillgroups ?? []) : undefined });
        return { objectguid: guid };
      }
      if (!input.objectguid) throw new AnyChatError('BODY_INVALID', 'objectguid is required to modify or delete');
      const target = await findObject(appId, input.objectguid);
      if (input.action === 2) {
        if (target.objecttype === OBJECT_TYPE.area) await routing.deleteArea(appId, target.objectguid);
        else if (target.objecttype === OBJECT_TYPE.queue) await routing.deleteQueue(appId, target.objectguid);
        else if (target.objecttype === OBJECT_TYPE.queueGroup) await routing.deleteQueueGroup(appId, target.objectguid);
        await db.deleteFrom('anychat_objects').where('app_id', '=', appId).where('object_guid', '=', target.objectguid).execute();
        return {};
      }
      if (target.objecttype === OBJECT_TYPE.area) {
        if (input.name !== undefined) await routing.renameArea(appId, target.objectguid, input.name);
      } else if (target.objecttype === OBJECT_TYPE.queue) {
        const areaId = await areaOf(appId, input);
        await routing.updateQueue(appId, target.objectguid, {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.priority === undefined ? {} : { priority: input.priority }),
          ...(areaId === undefined ? {} : { areaId }),
        });
      } else if (target.objecttype === OBJECT_TYPE.queueGroup) {
        const queueIds = await queueIdsOf(appId, input.queuegroups);
        await routing.updateQueueGroup(appId, target.objectguid, { ...(input.name === undefined ? {} : { name: input.name }), ...(queueIds === undefined ? {} : { queueIds }) });
      } else if (input.name !== undefined) {
        await db.updateTable('anychat_objects').set({ name: input.name }).where('app_id', '=', appId).where('object_guid', '=', target.objectguid).execute();
      }
      await saveExtras(appId, target.objectguid, target.objecttype, { description: input.description, skillgroups: target.objecttype === OBJECT_TYPE.queue ? input.skillgroups : undefined });
      return {};
    },
  };

  return {
    methods,
    findObject,
    /** The queues that list any of these skill groups (an agent given them serves those queues). */
    async queuesWithSkillGroups(appId: string, skillGroups: readonly number[]): Promise<string[]> {
      const objects = await objectsOf(appId);
      return objects.filter((o) => o.objecttype === OBJECT_TYPE.queue && o.skillgroups?.some((s) => skillGroups.includes(s))).map((o) => o.objectguid);
    },
    /** Queue group guids from objectids or guids. */
    async queueGroupIdsOf(appId: string, refs: (number | string)[]): Promise<string[]> {
      const groups = await routing.listQueueGroups(appId);
      return refs.map((ref) => {
        const group = groups.find((g) => (typeof ref === 'number' ? g.numericId === ref : g.id === ref));
        if (!group) throw new AnyChatError('PARAM_INVALID', `queue group ${ref} not found`);
        return group.id;
      });
    },
  };
}

export type AnyChatObjects = ReturnType<typeof createAnyChatObjects>;
