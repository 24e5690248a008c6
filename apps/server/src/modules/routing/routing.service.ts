import {
  CreateQueueBody,
  CreateQueueGroupBody,
  MEDIA_OF_QUEUE_TYPE,
  SetAgentSkillsBody,
  UpdateQueueGroupBody,
  type AgentState,
  type Area,
  type CloseBy,
  type Queue,
  type QueueGroup,
} from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { AgentConfig, AgentPresence, MediaType, OverflowTrigger, QueueConfig, RoutingEvent } from './engine/types.ts';
import { isWithinHours } from '../channels/index.ts';
import { RoutingError } from './routing.errors.ts';
import type { HandleResult, RoutingShell } from './routing.shell.ts';
import { agentStateOf, overviewOf } from './routing.views.ts';

/** What routing needs to know of an agent (from the identity module). */
export interface AgentProfile {
  role: string;
  maxConcurrentChats: number;
  mediaTypes: readonly string[];
  disabled: boolean;
}

type QueueRow = Database['queues'];

const TRIGGER_OF: Record<keyof CreateQueueBody['overflow'], OverflowTrigger> = {
  waitTimeout: 'wait_timeout',
  queueFull: 'queue_full',
  noAgent: 'no_agent',
  offHours: 'off_hours',
};

function toQueueGroup(row: Database['queue_groups']): QueueGroup {
  return { id: row.id, appId: row.app_id, name: row.name, queueIds: JSON.parse(row.queue_ids) as string[], createdAt: row.created_at, updatedAt: row.updated_at };
}

export function toQueue(row: QueueRow): Queue {
  return { ...(JSON.parse(row.config) as CreateQueueBody), id: row.id, appId: row.app_id, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The core's view of a queue: units in ms, overflow keyed by the core's trigger names. */
export function toQueueConfig(queue: Queue, nowMs: number): QueueConfig {
  const overflow: QueueConfig['overflow'] = {};
  for (const [key, rule] of Object.entries(queue.overflow)) if (rule) overflow[TRIGGER_OF[key as keyof typeof TRIGGER_OF]] = rule;
  return {
    id: queue.id,
    mode: queue.mode,
    mediaType: MEDIA_OF_QUEUE_TYPE[queue.type],
    priority: queue.priority,
    minLevel: queue.minLevel,
    maxWaitMs: queue.maxWaitSeconds * 1000,
    ringTimeoutMs: queue.ringTimeoutSeconds * 1000,
    wrapUpMs: queue.wrapUpSeconds * 1000,
    maxTalkMs: queue.maxTalkSeconds * 1000,
    maxQueueLength: queue.maxQueueLength,
    maxMissedOffers: queue.maxMissedOffers,
    escalation: queue.escalation.map((s) => ({ afterMs: s.afterSeconds * 1000, minLevel: s.minLevel, addQueueIds: s.addQueueIds, overflowQueueId: s.overflowQueueId })),
    overflow,
    isOpen: queue.hours === null || isWithinHours(queue.hours, nowMs),
  };
}

const PRESENCE_OF = { free: 'available', offline: 'offline', not_ready: 'not_ready', rest: 'rest' } as const satisfies Record<string, AgentPresence>;

/** Turns a rejection of the core into the error the caller gets. */
function unwrap(result: HandleResult | undefined): HandleResult {
  if (result?.rejection) throw new RoutingError(result.rejection.code, result.rejection.message);
  return result!;
}

/**
 * Routing's commands and queries over the shell: queues, areas and skills (their tables are
 * the configuration; each change is also logged to the core), agent status, offers, transfers,
 * ends, and live views read from this node's copy of the core.
 */
export function createRoutingService(deps: {
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
      mediaTypes: profile.mediaTypes.filter((m): m is MediaType => m === 'chat' || m === 'audio' || m === 'video'),
      skills: levels,
    };
  }

  async function findGroupRow(appId: string, groupId: string): Promise<Database['queue_groups']> {
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

  /**
   * Submits an event that puts a session in `queueId`, preceded by the queue's opening state when
   * its working hours changed it since the core last heard (hours are evaluated when they matter).
   */
  async function submitIntoQueue(appId: string, queueId: string, event: RoutingEvent): Promise<HandleResult> {
    const queue = toQueue(await findQueueRow(appId, queueId));
    const config = toQueueConfig(queue, clock.now());
    const known = await shell.read(appId, (engine) => engine.queues.get(queueId)?.isOpen);
    const events: RoutingEvent[] = known === config.isOpen ? [event] : [{ type: 'queue.upsert', queue: config }, event];
    const results = await shell.submit(appId, events);
    return unwrap(results.at(-1));
  }

  /** The agent a staff principal acts as; API keys must name one. */
  function actingAgent(principal: Principal): string {
    if (principal.kind !== 'agent') throw new RoutingError('FD_AUTH_FORBIDDEN', 'only an agent takes offers');
    return principal.agentId;
  }

  return {
    // ── configuration ────────────────────────────────────────────────────────────────
    /** Validates `input` here too: callers other than the REST edge (CLI, compat surfaces, benches) get the same defaults and ranges. */
    async createQueue(appId: string, input: z.input<typeof CreateQueueBody>): Promise<Queue> {
      const body = CreateQueueBody.parse(input);
      await checkReferences(appId, body);
      const now = clock.now();
      const row: QueueRow = { id: newId('q'), app_id: appId, area_id: body.areaId, name: body.name, config: JSON.stringify(body), deleted: 0, created_at: now, updated_at: now };
      await db.insertInto('queues').values(row).execute();
      const queue = toQueue(row);
      await submitOne(appId, { type: 'queue.upsert', queue: toQueueConfig(queue, now) });
      return queue;
    },

    async updateQueue(appId: string, queueId: string, patch: Partial<CreateQueueBody>): Promise<Queue> {
      const current = toQueue(await findQueueRow(appId, queueId));
      await checkReferences(appId, patch, queueId);
      const { id: _id, appId: _app, createdAt: _c, updatedAt: _u, ...fields } = current;
      const body: CreateQueueBody = { ...fields, ...patch };
      const now = clock.now();
      await db
        .updateTable('queues')
        .set({ name: body.name, area_id: body.areaId, config: JSON.stringify(body), updated_at: now })
        .where('app_id', '=', appId)
        .where('id', '=', queueId)
        .execute();
      const queue: Queue = { ...body, id: queueId, appId, createdAt: current.createdAt, updatedAt: now };
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

    async createArea(appId: string, name: string): Promise<Area> {
      const row = { id: newId('area'), app_id: appId, name, created_at: clock.now() };
      await db.insertInto('areas').values(row).execute();
      return { id: row.id, appId, name, createdAt: row.created_at };
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
      return rows.map((r) => ({ id: r.id, appId: r.app_id, name: r.name, createdAt: r.created_at }));
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
      const row = { id: newId('qg'), app_id: appId, name: body.name, queue_ids: JSON.stringify([...new Set(body.queueIds)]), created_at: now, updated_at: now };
      await db.insertInto('queue_groups').values(row).execute();
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

    // ── agent status ─────────────────────────────────────────────────────────────────
    /**
     * Sets an agent's status: the agent itself, or a supervisor forcing it (SPEC M18). The
     * agent's current profile and skills are logged with it, so capacity changes apply.
     */
    async setStatus(principal: Principal, agentId: string, status: keyof typeof PRESENCE_OF, reason: string | undefined): Promise<AgentState> {
      const self = principal.kind === 'agent' && principal.agentId === agentId;
      if (!self && !hasRole(principal, 'supervisor')) throw new RoutingError('FD_AUTH_FORBIDDEN', "only a supervisor sets another agent's status");
      const profile = await agentProfile(principal.appId, agentId);
      if (profile.disabled && status !== 'offline') throw new RoutingError('FD_AUTH_FORBIDDEN', 'this agent is disabled');
      const presence = PRESENCE_OF[status];
      const results = await shell.submit(principal.appId, [
        { type: 'agent.upsert', agent: await agentConfig(principal.appId, agentId) },
        { type: 'agent.presence', agentId, presence, reason: reason ?? (self ? undefined : 'forced'), ...(self ? {} : { forcedBy: principalId(principal) }) },
      ]);
      results.forEach(unwrap);
      return shell.read(principal.appId, (engine) => agentStateOf(engine, agentId));
    },

    /** Signs an agent out (its sockets are gone): offers it rings with go to others. */
    async signOut(appId: string, agentId: string): Promise<void> {
      const known = await shell.read(appId, (engine) => engine.agents.get(agentId)?.presence);
      if (known === undefined || known === 'offline') return;
      await submitOne(appId, { type: 'agent.presence', agentId, presence: 'offline', reason: 'disconnected' });
    },

    agentState: (appId: string, agentId: string) => shell.read(appId, (engine) => agentStateOf(engine, agentId)),

    async statusHistory(appId: string, agentId: string, limit: number) {
      await agentProfile(appId, agentId);
      const rows = await db
        .selectFrom('agent_status_history')
        .selectAll()
        .where('app_id', '=', appId)
        .where('agent_id', '=', agentId)
        .orderBy('ord', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map((r) => ({ agentId: r.agent_id, from: r.from_status as AgentState['status'], to: r.to_status as AgentState['status'], reason: r.reason, at: r.at }));
    },

    // ── sessions ─────────────────────────────────────────────────────────────────────
    /** A conversation needs a human: it enters its queue (or overflows). */
    arrive: (appId: string, conversationId: string, queueId: string) => submitIntoQueue(appId, queueId, { type: 'session.arrive', sessionId: conversationId, queueId }),

    accept: (principal: Principal, conversationId: string) => submitOne(principal.appId, { type: 'offer.accept', sessionId: conversationId, agentId: actingAgent(principal) }),

    decline: (principal: Principal, conversationId: string) => submitOne(principal.appId, { type: 'offer.decline', sessionId: conversationId, agentId: actingAgent(principal) }),

    /** By the assigned agent or a supervisor, to a queue or to an agent, with a note kept in the history. */
    async transfer(principal: Principal, conversationId: string, to: { queueId: string } | { agentId: string }, note: string | undefined): Promise<void> {
      const holder = await shell.read(principal.appId, (engine) => engine.sessions.get(conversationId)?.agentId ?? null);
      const isHolder = principal.kind === 'agent' && holder === principal.agentId;
      if (!isHolder && !hasRole(principal, 'supervisor')) throw new RoutingError('FD_AUTH_FORBIDDEN', 'only the assigned agent or a supervisor transfers a conversation');
      const event: RoutingEvent = { type: 'session.transfer', sessionId: conversationId, to, ...(note ? { note } : {}) };
      if ('queueId' in to) await submitIntoQueue(principal.appId, to.queueId, event);
      else {
        await agentProfile(principal.appId, to.agentId);
        await submitOne(principal.appId, event);
      }

    },

    end: (appId: string, conversationId: string, closeBy: CloseBy) => submitOne(appId, { type: 'session.end', sessionId: conversationId, closeBy }),

    /** Who holds a routed conversation now (its offer or its assignment). */
    holderOf: (appId: string, conversationId: string) => shell.read(appId, (engine) => engine.sessions.get(conversationId)?.agentId ?? null),

    // ── queries ──────────────────────────────────────────────────────────────────────
    async conversationRouting(appId: string, conversationId: string) {
      const rows = await db
        .selectFrom('routing_history')
        .selectAll()
        .where('app_id', '=', appId)
        .where('conversation_id', '=', conversationId)
        .orderBy('ord')
        .execute();
      return { ...(await this.standing(appId, conversationId)), history: rows.map((r) => ({ type: r.type, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> })) };
    },

    /** Place in the queue (0 when not waiting) and the core's wait estimate. */
    standing: (appId: string, conversationId: string) =>
      shell.read(appId, (engine) => ({ position: engine.positionOf(conversationId), estimatedWaitMs: engine.estimatedWaitMs(conversationId) })),

    async overview(appId: string) {
      const [queues, areas] = await Promise.all([this.listQueues(appId), this.listAreas(appId)]);
      const now = clock.now();
      return shell.read(appId, (engine) => overviewOf(engine, queues, areas, now));
    },
  };
}

function principalId(principal: Principal): string {
  return principal.kind === 'agent' ? principal.agentId : principal.kind === 'apiKey' ? principal.keyId : principal.visitorId;
}

export type RoutingService = ReturnType<typeof createRoutingService>;
