import { CreateQueueBody, CreateQueueGroupBody, SetAgentSkillsBody, UpdateQueueGroupBody, type Area, type Queue, type QueueGroup } from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { changeNumericId, insertWithNumericId, numberOrUndefined } from '../../platform/storage/numeric-ids.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import type { AgentConfig, MediaType, RoutingEvent } from './engine/types.ts';
import { toQueue, toQueueConfig, toQueueGroup } from './queue-config.ts';
import { RoutingError } from './routing.errors.ts';
import type { RoutingTables } from './routing.schema.ts';
import type { HandleResult, RoutingShell } from './routing.shell.ts';

/** What routing needs to know of an agent (from the identity module). */
export interface AgentProfile {
  role: string;
  maxConcurrentChats: number;
  maxConcurrentCalls: number;
  mediaTypes: readonly string[];
  disabled: boolean;
}

type QueueRow = RoutingTables['queues'];

/** Turns a rejection of the core into the error the caller gets. */
export function unwrap(result: HandleResult | undefined): HandleResult {
  if (result?.rejection) throw new RoutingError(result.rejection.code, result.rejection.message);
  return result!;
}

/**
 * Routing's configuration: queues, areas, queue groups and agents' skills. Their tables are the
 * configuration; each change is also logged to the core (`queue.upsert`, `agent.upsert`), so every
 * node's copy sees it at the same place in the log.
 */
export function createRoutingConfig(deps: {
  storage: Storage;
  clock: Clock;
  shell: RoutingShell;
  agentProfile: (appId: string, agentId: string) => Promise<AgentProfile>;
  /** Names of the channels that send conversations to a queue (from the channels module). */
  channelsUsingQueue: (appId: string, queueId: string) => Promise<string[]>;
}) {
  const { storage, clock, shell, agentProfile, channelsUsingQueue } = deps;
  const { db } = storage;

  async function findQueueRow(appId: string, queueId: string): Promise<QueueRow> {
    const row = await db.selectFrom('queues').selectAll().where('app_id', '=', appId).where('id', '=', queueId).where('deleted', '=', 0).executeTakeFirst();
    if (!row) throw new RoutingError('FD_QUEUE_NOT_FOUND', `queue ${queueId} not found`);
    return row;
  }

  async function checkReferences(appId: string, body: Partial<CreateQueueBody>, selfId?: string): Promise<void> {
    if (body.areaId) {
      const area = await db.selectFrom('areas').select('id').where('app_id', '=', appId).where('id', '=', body.areaId).executeTakeFirst();
      if (!area) throw new RoutingError('FD_AREA_NOT_FOUND', `area ${body.areaId} not found`);
    }
    const referenced = new Set<string>();
    for (const rule of Object.values(body.overflow ?? {})) if (rule?.action === 'transfer') referenced.add(rule.toQueueId);
    for (const step of body.escalation ?? []) {
      for (const q of step.addQueueIds ?? []) referenced.add(q);
      if (step.overflowQueueId) referenced.add(step.overflowQueueId);
    }
    for (const queueId of referenced) if (queueId !== selfId) await findQueueRow(appId, queueId);
  }

  async function agentConfig(appId: string, agentId: string): Promise<AgentConfig> {
    const profile = await agentProfile(appId, agentId);
    const skills = await db.selectFrom('agent_skills').select(['queue_id', 'level']).where('app_id', '=', appId).where('agent_id', '=', agentId).execute();
    const groups = await db
      .selectFrom('agent_queue_groups')
      .innerJoin('queue_groups', 'queue_groups.id', 'agent_queue_groups.group_id')
      .select(['queue_groups.queue_ids', 'agent_queue_groups.level'])
      .where('agent_queue_groups.app_id', '=', appId)
      .where('agent_queue_groups.agent_id', '=', agentId)
      .execute();
    // A group gives each of its queues at the membership's level; an explicit skill wins, and of
    // two groups with one queue the higher level counts.
    const levels: Record<string, number> = {};
    for (const group of groups) for (const queueId of JSON.parse(group.queue_ids) as string[]) levels[queueId] = Math.max(levels[queueId] ?? 0, group.level);
    for (const skill of skills) levels[skill.queue_id] = skill.level;
    const routing = await db.selectFrom('agent_routing').select('priority').where('app_id', '=', appId).where('agent_id', '=', agentId).executeTakeFirst();
    return {
      id: agentId,
      priority: routing?.priority ?? 0,
      maxConcurrent: profile.maxConcurrentChats,
      maxConcurrentCalls: profile.maxConcurrentCalls,
      mediaTypes: profile.mediaTypes.filter((m): m is MediaType => m === 'chat' || m === 'audio' || m === 'video'),
      skills: levels,
    };
  }

  async function findGroupRow(appId: string, groupId: string): Promise<RoutingTables['queue_groups']> {
    const row = await db.selectFrom('queue_groups').selectAll().where('app_id', '=', appId).where('id', '=', groupId).executeTakeFirst();
    if (!row) throw new RoutingError('FD_QUEUE_GROUP_NOT_FOUND', `queue group ${groupId} not found`);
    return row;
  }

  async function upsertMembers(appId: string, groupId: string): Promise<void> {
    const members = await db.selectFrom('agent_queue_groups').select('agent_id').where('app_id', '=', appId).where('group_id', '=', groupId).execute();
    if (members.length === 0) return;
    const results = await shell.submit(appId, await Promise.all(members.map(async (m) => ({ type: 'agent.upsert' as const, agent: await agentConfig(appId, m.agent_id) }))));
    results.forEach(unwrap);
  }

  async function submitOne(appId: string, event: RoutingEvent): Promise<HandleResult> {
    const [result] = await shell.submit(appId, [event]);
    return unwrap(result);
  }

  /** The numeric aliases (AnyChat objectid, TCCC SkillGroupId) of one of routing's tables, per app. */
  function numericIdsOf(appId: string, table: 'queues' | 'areas' | 'queue_groups') {
    return {
      largest: async (tx: Tx) => numberOrUndefined((await tx.selectFrom(table).select((eb) => eb.fn.max('numeric_id').as('n')).where('app_id', '=', appId).executeTakeFirst())?.n),
      isTaken: async (tx: Tx, n: number) => (await tx.selectFrom(table).select('id').where('app_id', '=', appId).where('numeric_id', '=', n).executeTakeFirst()) !== undefined,
    };
  }

  return {
    findQueueRow,
    /** The core's view of an agent: capacity and media from identity, skills and queue groups from here. */
    agentConfig,
    submitOne,
    /** Validates `input` here too: callers other than the REST edge (CLI, compat surfaces, benches) get the same defaults and ranges. */
    async createQueue(appId: string, input: z.input<typeof CreateQueueBody>): Promise<Queue> {
      const { numericId, ...body } = CreateQueueBody.parse(input);
      await checkReferences(appId, body);
      const now = clock.now();
      const row = await insertWithNumericId(storage, `queues:${appId}`, {
        given: numericId,
        ...numericIdsOf(appId, 'queues'),
        insert: async (tx, n) => {
          const fresh: QueueRow = { id: newId('q'), app_id: appId, numeric_id: n, area_id: body.areaId, name: body.name, config: JSON.stringify(body), deleted: 0, created_at: now, updated_at: now };
          await tx.insertInto('queues').values(fresh).execute();
          return fresh;
        },
      });
      const queue = toQueue(row);
      await submitOne(appId, { type: 'queue.upsert', queue: toQueueConfig(queue, now) });
      return queue;
    },

    async updateQueue(appId: string, queueId: string, patch: Partial<CreateQueueBody>): Promise<Queue> {
      const current = toQueue(await findQueueRow(appId, queueId));
      await checkReferences(appId, patch, queueId);
      const { id: _id, appId: _app, createdAt: _c, updatedAt: _u, numericId: currentNumericId, ...fields } = current;
      const { numericId = currentNumericId, ...body } = { ...fields, ...patch };
      if (numericId !== currentNumericId) await changeNumericId(storage, `queues:${appId}`, numericId, { isTaken: numericIdsOf(appId, 'queues').isTaken, update: async (tx) => void (await tx.updateTable('queues').set({ numeric_id: numericId }).where('app_id', '=', appId).where('id', '=', queueId).execute()) });
      const now = clock.now();
      await db
        .updateTable('queues')
        .set({ name: body.name, area_id: body.areaId, config: JSON.stringify(body), updated_at: now })
        .where('app_id', '=', appId)
        .where('id', '=', queueId)
        .execute();
      const queue: Queue = { ...body, id: queueId, appId, numericId, createdAt: current.createdAt, updatedAt: now };
      await submitOne(appId, { type: 'queue.upsert', queue: toQueueConfig(queue, now) });
      return queue;
    },

    getQueue: async (appId: string, queueId: string) => toQueue(await findQueueRow(appId, queueId)),

    queueExists: async (appId: string, queueId: string) =>
      (await db.selectFrom('queues').select('id').where('app_id', '=', appId).where('id', '=', queueId).where('deleted', '=', 0).executeTakeFirst()) !== undefined,

    async listQueues(appId: string): Promise<Queue[]> {
      const rows = await db.selectFrom('queues').selectAll().where('app_id', '=', appId).where('deleted', '=', 0).orderBy('created_at').execute();
      return rows.map(toQueue);
    },

    /**
     * Deletes a queue nothing uses any more: no channel sends to it, no queue overflows or escalates
     * to it, no agent or queue group serves it, no conversation waits or is served in it. The
     * queue is kept, marked deleted, for the history that names it.
     */
    async deleteQueue(appId: string, queueId: string): Promise<void> {
      await findQueueRow(appId, queueId);
      const uses: string[] = [];
      const channels = await channelsUsingQueue(appId, queueId);
      if (channels.length > 0) uses.push(`channels ${channels.join(', ')}`);
      const referring = (await this.listQueues(appId)).filter((q) => q.id !== queueId && JSON.stringify([q.overflow, q.escalation]).includes(`"${queueId}"`));
      if (referring.length > 0) uses.push(`the overflow or escalation of queues ${referring.map((q) => q.name).join(', ')}`);
      const skilled = await db.selectFrom('agent_skills').select('agent_id').where('app_id', '=', appId).where('queue_id', '=', queueId).execute();
      if (skilled.length > 0) uses.push(`${skilled.length} agents' skills`);
      const groups = (await this.listQueueGroups(appId)).filter((g) => g.queueIds.includes(queueId));
      if (groups.length > 0) uses.push(`queue groups ${groups.map((g) => g.name).join(', ')}`);
      const live = await shell.read(appId, (engine) => [...engine.sessions.values()].filter((s) => s.queueId === queueId && s.phase !== 'ended' && s.phase !== 'released').length);
      if (live > 0) uses.push(`${live} conversations in it now`);
      if (uses.length > 0) throw new RoutingError('FD_QUEUE_IN_USE', `the queue is still used by ${uses.join('; ')}`);
      // Out of its area too, so that the area can go.
      await db.updateTable('queues').set({ deleted: 1, area_id: null, updated_at: clock.now() }).where('app_id', '=', appId).where('id', '=', queueId).execute();
    },

    async createArea(appId: string, name: string, numericId?: number): Promise<Area> {
      const row = await insertWithNumericId(storage, `areas:${appId}`, {
        given: numericId,
        ...numericIdsOf(appId, 'areas'),
        insert: async (tx, n) => {
          const fresh = { id: newId('area'), app_id: appId, numeric_id: n, name, created_at: clock.now() };
          await tx.insertInto('areas').values(fresh).execute();
          return fresh;
        },
      });
      return { id: row.id, appId, numericId: row.numeric_id, name, createdAt: row.created_at };
    },

    async renameArea(appId: string, areaId: string, name: string): Promise<Area> {
      const { numUpdatedRows } = await db.updateTable('areas').set({ name }).where('app_id', '=', appId).where('id', '=', areaId).executeTakeFirst();
      if (numUpdatedRows === 0n) throw new RoutingError('FD_AREA_NOT_FOUND', `area ${areaId} not found`);
      return (await this.listAreas(appId)).find((a) => a.id === areaId)!;
    },

    /** Deletes an area no queue belongs to. */
    async deleteArea(appId: string, areaId: string): Promise<void> {
      const inArea = await db.selectFrom('queues').select('name').where('app_id', '=', appId).where('area_id', '=', areaId).where('deleted', '=', 0).execute();
      if (inArea.length > 0) throw new RoutingError('FD_AREA_IN_USE', `queues ${inArea.map((q) => q.name).join(', ')} belong to this area`);
      const { numDeletedRows } = await db.deleteFrom('areas').where('app_id', '=', appId).where('id', '=', areaId).executeTakeFirst();
      if (numDeletedRows === 0n) throw new RoutingError('FD_AREA_NOT_FOUND', `area ${areaId} not found`);
    },

    async listAreas(appId: string): Promise<Area[]> {
      const rows = await db.selectFrom('areas').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
      return rows.map((r) => ({ id: r.id, appId: r.app_id, numericId: Number(r.numeric_id), name: r.name, createdAt: r.created_at }));
    },

    /** Replaces an agent's skills (queues with a level); the core sees them at once. */
    /** Replaces an agent's skills (queues with a level) and queue groups; the core sees them at once. */
    async setSkills(appId: string, agentId: string, input: z.input<typeof SetAgentSkillsBody>) {
      const body = SetAgentSkillsBody.parse(input);
      await agentProfile(appId, agentId);
      for (const skill of body.skills) await findQueueRow(appId, skill.queueId);
      for (const member of body.queueGroups) await findGroupRow(appId, member.queueGroupId);
      const defaults = body.skills.filter((s) => s.isDefault).length;
      if (defaults > 1) throw new RoutingError('FD_REQ_INVALID', 'at most one skill may be the default');
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('agent_skills').where('app_id', '=', appId).where('agent_id', '=', agentId).execute();
        await tx.deleteFrom('agent_queue_groups').where('app_id', '=', appId).where('agent_id', '=', agentId).execute();
        if (body.skills.length > 0) {
          await tx
            .insertInto('agent_skills')
            .values(body.skills.map((s) => ({ app_id: appId, agent_id: agentId, queue_id: s.queueId, level: s.level, is_default: s.isDefault ? 1 : 0 })))
            .execute();
        }
        await tx.deleteFrom('agent_routing').where('app_id', '=', appId).where('agent_id', '=', agentId).execute();
        await tx.insertInto('agent_routing').values({ app_id: appId, agent_id: agentId, priority: body.priority }).execute();
        if (body.queueGroups.length > 0) {
          await tx
            .insertInto('agent_queue_groups')
            .values(body.queueGroups.map((g) => ({ app_id: appId, agent_id: agentId, group_id: g.queueGroupId, level: g.level })))
            .execute();
        }
      });
      await submitOne(appId, { type: 'agent.upsert', agent: await agentConfig(appId, agentId) });
      return this.getSkills(appId, agentId);
    },

    async getSkills(appId: string, agentId: string) {
      await agentProfile(appId, agentId);
      const [skills, groups, profile] = await Promise.all([
        db.selectFrom('agent_skills').selectAll().where('app_id', '=', appId).where('agent_id', '=', agentId).orderBy('queue_id').execute(),
        db.selectFrom('agent_queue_groups').selectAll().where('app_id', '=', appId).where('agent_id', '=', agentId).orderBy('group_id').execute(),
        db.selectFrom('agent_routing').select('priority').where('app_id', '=', appId).where('agent_id', '=', agentId).executeTakeFirst(),
      ]);
      return {
        agentId,
        skills: skills.map((r) => ({ queueId: r.queue_id, level: r.level, isDefault: r.is_default === 1 })),
        queueGroups: groups.map((r) => ({ queueGroupId: r.group_id, level: r.level })),
        priority: profile?.priority ?? 0,
      };
    },

    async createQueueGroup(appId: string, input: z.input<typeof CreateQueueGroupBody>): Promise<QueueGroup> {
      const body = CreateQueueGroupBody.parse(input);
      for (const queueId of body.queueIds) await findQueueRow(appId, queueId);
      const now = clock.now();
      const row = await insertWithNumericId(storage, `queue_groups:${appId}`, {
        given: body.numericId,
        ...numericIdsOf(appId, 'queue_groups'),
        insert: async (tx, n) => {
          const fresh = { id: newId('qg'), app_id: appId, numeric_id: n, name: body.name, queue_ids: JSON.stringify([...new Set(body.queueIds)]), created_at: now, updated_at: now };
          await tx.insertInto('queue_groups').values(fresh).execute();
          return fresh;
        },
      });
      return toQueueGroup(row);
    },

    async listQueueGroups(appId: string): Promise<QueueGroup[]> {
      const rows = await db.selectFrom('queue_groups').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
      return rows.map(toQueueGroup);
    },

    /** Changing a group's queues changes what each of its agents serves, at once. */
    async updateQueueGroup(appId: string, groupId: string, input: z.input<typeof UpdateQueueGroupBody>): Promise<QueueGroup> {
      const patch = UpdateQueueGroupBody.parse(input);
      const current = toQueueGroup(await findGroupRow(appId, groupId));
      for (const queueId of patch.queueIds ?? []) await findQueueRow(appId, queueId);
      const next = { name: patch.name ?? current.name, queue_ids: JSON.stringify([...new Set(patch.queueIds ?? current.queueIds)]), updated_at: clock.now() };
      await db.updateTable('queue_groups').set(next).where('app_id', '=', appId).where('id', '=', groupId).execute();
      await upsertMembers(appId, groupId);
      return toQueueGroup(await findGroupRow(appId, groupId));
    },

    async deleteQueueGroup(appId: string, groupId: string): Promise<void> {
      await findGroupRow(appId, groupId);
      const members = await db.selectFrom('agent_queue_groups').select('agent_id').where('app_id', '=', appId).where('group_id', '=', groupId).execute();
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('agent_queue_groups').where('app_id', '=', appId).where('group_id', '=', groupId).execute();
        await tx.deleteFrom('queue_groups').where('app_id', '=', appId).where('id', '=', groupId).execute();
      });
      for (const { agent_id } of members) await submitOne(appId, { type: 'agent.upsert', agent: await agentConfig(appId, agent_id) });
    },

  };
}

export type RoutingConfig = ReturnType<typeof createRoutingConfig>;
