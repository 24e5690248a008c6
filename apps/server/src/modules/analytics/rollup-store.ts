import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../platform/storage/schema.ts';
import type { Tx } from '../../platform/storage/storage.ts';
import { agentKeyOf, agentSlotOf, channelKeyOf, channelSlotOf, NO_AGENT, parseSlotKey, queueSlotOf, SLOT_MS, slotOf, type AgentSlotRow, type ChannelSlotRow, type QueueSlotRow, type SlotKeys } from './rollup-slots.ts';
import { NO_CHANNEL } from './channel-metrics.ts';
import { HELD_CAP_MS } from './agent-metrics.ts';
import { agentHourRowsOf, HOUR_MS, hourOf, type AgentHourRow } from './rollup-hours.ts';

type Db = Kysely<Database>;

/**
 * The shell of roll-ups: rewrites slots from the read model's rows. A slot is always recomputed
 * whole from the rows of its 15 minutes (never incremented), so writing a conversation again, a
 * rebuild, or two writers touching one slot can never count a row twice.
 */

/** Serializes the writers of an app's slots (PostgreSQL advisory lock; SQLite is serialized already). */
export type LockKey = (tx: Tx, key: string) => Promise<void>;
export const rollupLockKey = (appId: string): string => `report-rollups:${appId}`;

const CHUNK = 200;

async function insertChunked<T extends 'report_queue_slots' | 'report_agent_slots' | 'report_channel_slots'>(db: Db, table: T, rows: Database[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto(table).values(rows.slice(i, i + CHUNK) as never).execute();
}

/**
 * Rewrites the slots `keys` names from the read model, in the caller's transaction (the one that
 * wrote the rows): per quarter hour named, its rows of the named keys are read once (one query per
 * table, not per key) and the named slots replaced. NOTE: the lock comes first: on PostgreSQL, a
 * writer that waited for it then reads the rows the one before committed, so the last writer of a
 * slot always sees every row.
 */
export async function refreshSlots(tx: Tx, lockKey: LockKey, appId: string, keys: SlotKeys): Promise<void> {
  if (keys.queues.size + keys.agents.size + keys.channels.size + keys.agentHours.size === 0) return;
  await lockKey(tx, rollupLockKey(appId));
  const bySlot = new Map<number, { queues: Set<string>; agents: Set<string>; channels: Set<string> }>();
  for (const kind of ['queues', 'agents', 'channels'] as const) {
    for (const text of keys[kind]) {
      const { slotAt, key } = parseSlotKey(text);
      let only = bySlot.get(slotAt);
      if (!only) bySlot.set(slotAt, (only = { queues: new Set(), agents: new Set(), channels: new Set() }));
      only[kind].add(key);
    }
  }
  for (const [slotAt, only] of [...bySlot].sort(([a], [b]) => a - b)) {
    const slots = await slotsOfWindow(tx, appId, slotAt, slotAt + SLOT_MS, only);
    await replaceSlots(tx, 'report_queue_slots', 'queue_id', appId, slotAt, only.queues, slots.queues);
    await replaceSlots(tx, 'report_agent_slots', 'agent_id', appId, slotAt, only.agents, slots.agents);
    await replaceSlots(tx, 'report_channel_slots', 'channel_id', appId, slotAt, only.channels, slots.channels);
  }
  // The hourly tier: the hours of the agent slots named, and those whose held time changed.
  const hours = new Map<number, Set<string>>();
  for (const text of [...keys.agents, ...keys.agentHours]) {
    const { slotAt, key } = parseSlotKey(text);
    const hourAt = hourOf(slotAt);
    (hours.get(hourAt) ?? hours.set(hourAt, new Set()).get(hourAt)!).add(key);
  }
  for (const [hourAt, agents] of [...hours].sort(([a], [b]) => a - b)) {
    const rows = await agentHoursOfWindow(tx, appId, hourAt, hourAt + HOUR_MS, agents);
    await sql`delete from report_agent_hours where app_id = ${appId} and hour_at = ${hourAt} and agent_id in (${sql.join([...agents])})`.execute(tx);
    if (rows.length) await tx.insertInto('report_agent_hours').values(rows).execute();
  }
}

/**
 * The agent hour rows of [fromMs, toMs) (hour-aligned) from the read model: every agent's, or only
 * those of `only`. Assignments are read from HELD_CAP_MS before the window: their held time reaches it.
 */
async function agentHoursOfWindow(db: Db, appId: string, fromMs: number, toMs: number, only?: ReadonlySet<string>): Promise<AgentHourRow[]> {
  const none = Promise.resolve([]);
  const agents = only && [...only].some((k) => k !== NO_AGENT);
  const filter = <Q extends { where: (e: Expression<SqlBool>) => Q }>(q: Q): Q => (only ? q.where(keyIn('agent_id', only, NO_AGENT)) : q);
  const [assignments, offers, ratings, calls] = await Promise.all([
    only && !agents ? none : filter(db.selectFrom('report_assignments').select(['agent_id', 'assigned_at', 'ended_at', 'handle_ms', 'first_response_ms', 'responses', 'response_total_ms']).where('app_id', '=', appId).where('assigned_at', '>=', fromMs - HELD_CAP_MS).where('assigned_at', '<', toMs)).execute(),
    only && !agents ? none : filter(db.selectFrom('report_offers').select(['agent_id', 'offered_at', 'outcome']).where('app_id', '=', appId).where('offered_at', '>=', fromMs).where('offered_at', '<', toMs)).execute(),
    filter(db.selectFrom('report_ratings').select(['agent_id', 'rated_at', 'stars']).where('app_id', '=', appId).where('rated_at', '>=', fromMs).where('rated_at', '<', toMs)).execute(),
    filter(db.selectFrom('report_calls').select(['agent_id', 'started_at', 'accepted_at']).where('app_id', '=', appId).where('started_at', '>=', fromMs).where('started_at', '<', toMs)).execute(),
  ]);
  return agentHourRowsOf(appId, fromMs, toMs, {
    assignments: assignments.map((x) => ({ agentId: x.agent_id, assignedAt: Number(x.assigned_at), endedAt: Number(x.ended_at), handleMs: Number(x.handle_ms), firstResponseMs: x.first_response_ms === null ? null : Number(x.first_response_ms), responses: x.responses, responseTotalMs: Number(x.response_total_ms) })),
    offers: offers.map((x) => ({ agentId: x.agent_id, offeredAt: Number(x.offered_at), outcome: x.outcome })),
    ratings: ratings.map((x) => ({ agentId: agentKeyOf(x.agent_id), ratedAt: Number(x.rated_at), stars: x.stars })),
    calls: calls.map((x) => ({ agentId: agentKeyOf(x.agent_id), startedAt: Number(x.started_at), acceptedAt: x.accepted_at })),
  });
}

/** Deletes the slots of `keys` at `slotAt` and writes `rows` (a key without rows left keeps no slot). */
async function replaceSlots<T extends 'report_queue_slots' | 'report_agent_slots' | 'report_channel_slots'>(
  tx: Tx,
  table: T,
  keyColumn: 'queue_id' | 'agent_id' | 'channel_id',
  appId: string,
  slotAt: number,
  keys: ReadonlySet<string>,
  rows: Database[T][],
): Promise<void> {
  if (keys.size === 0) return;
  await sql`delete from ${sql.table(table)} where app_id = ${appId} and slot_at = ${slotAt} and ${sql.ref(keyColumn)} in (${sql.join([...keys])})`.execute(tx);
  if (rows.length) await tx.insertInto(table).values(rows as never).execute();
}

function groupBy<R>(rows: readonly R[], keyOf: (r: R) => string): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** The keys whose slots to compute, by queue, agent and channel key. */
interface SlotKeyFilter {
  queues: ReadonlySet<string>;
  agents: ReadonlySet<string>;
  channels: ReadonlySet<string>;
}

/** `column` holds one of `keys`, where `noneKey` stands for null (an agent-less rating, a channel-less conversation). */
function keyIn(column: string, keys: ReadonlySet<string>, noneKey: string | null): Expression<SqlBool> {
  const named = [...keys].filter((k) => k !== noneKey);
  const parts = named.length ? [sql<SqlBool>`${sql.ref(column)} in (${sql.join(named)})`] : [];
  if (noneKey !== null && keys.has(noneKey)) parts.push(sql<SqlBool>`${sql.ref(column)} is null`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` or `)})` : sql<SqlBool>`1 = 0`;
}

/**
 * The slots of [fromMs, toMs) (slot-aligned) of one app, computed from the read model's rows of that
 * window: every key's, or only `only`'s (a table that holds none of its keys is not read).
 */
async function slotsOfWindow(db: Db, appId: string, fromMs: number, toMs: number, only?: SlotKeyFilter) {
  const none = Promise.resolve([]);
  /** Whether a table keyed by `keys` is read: always without a filter, else when one of its keys is named. */
  const reads = (keys: ReadonlySet<string> | undefined, skip?: string) => !only || [...keys!].some((k) => k !== skip);
  const [visits, assignments, offers, ratings, calls, conversations] = await Promise.all([
    !reads(only?.queues)
      ? none
      : db.selectFrom('report_queue_visits').select(['queue_id', 'entered_at', 'outcome', 'wait_ms', 'transferred', 'handle_ms']).where('app_id', '=', appId).where('entered_at', '>=', fromMs).where('entered_at', '<', toMs).$if(!!only, (q) => q.where(keyIn('queue_id', only!.queues, null))).execute(),
    // An assignment and an offer always have an agent: the agent-less key reads only ratings and calls.
    !reads(only?.agents, NO_AGENT)
      ? none
      : db.selectFrom('report_assignments').select(['agent_id', 'assigned_at', 'handle_ms', 'first_response_ms', 'responses', 'response_total_ms']).where('app_id', '=', appId).where('assigned_at', '>=', fromMs).where('assigned_at', '<', toMs).$if(!!only, (q) => q.where(keyIn('agent_id', only!.agents, NO_AGENT))).execute(),
    !reads(only?.agents, NO_AGENT)
      ? none
      : db.selectFrom('report_offers').select(['agent_id', 'offered_at', 'outcome']).where('app_id', '=', appId).where('offered_at', '>=', fromMs).where('offered_at', '<', toMs).$if(!!only, (q) => q.where(keyIn('agent_id', only!.agents, NO_AGENT))).execute(),
    !reads(only?.agents)
      ? none
      : db.selectFrom('report_ratings').select(['agent_id', 'rated_at', 'stars']).where('app_id', '=', appId).where('rated_at', '>=', fromMs).where('rated_at', '<', toMs).$if(!!only, (q) => q.where(keyIn('agent_id', only!.agents, NO_AGENT))).execute(),
    !reads(only?.agents)
      ? none
      : db.selectFrom('report_calls').select(['agent_id', 'started_at', 'accepted_at']).where('app_id', '=', appId).where('started_at', '>=', fromMs).where('started_at', '<', toMs).$if(!!only, (q) => q.where(keyIn('agent_id', only!.agents, NO_AGENT))).execute(),
    !reads(only?.channels)
      ? none
      : db.selectFrom('report_conversations').select(['channel_id', 'arrived_at', 'outcome', 'with_bot', 'handed_off']).where('app_id', '=', appId).where('arrived_at', '>=', fromMs).where('arrived_at', '<', toMs).$if(!!only, (q) => q.where(keyIn('channel_id', only!.channels, NO_CHANNEL))).execute(),
  ]);
  const queues: QueueSlotRow[] = [];
  for (const rows of groupBy(visits, (v) => `${slotOf(Number(v.entered_at))}@${v.queue_id}`).values()) {
    const row = queueSlotOf(appId, rows[0]!.queue_id, slotOf(Number(rows[0]!.entered_at)), rows.map((r) => ({ outcome: r.outcome, waitMs: Number(r.wait_ms), transferred: r.transferred === 1, handleMs: r.handle_ms === null ? null : Number(r.handle_ms) })));
    if (row) queues.push(row);
  }
  const byAgent = {
    assignments: groupBy(assignments, (r) => `${slotOf(Number(r.assigned_at))}@${r.agent_id}`),
    offers: groupBy(offers, (r) => `${slotOf(Number(r.offered_at))}@${r.agent_id}`),
    ratings: groupBy(ratings, (r) => `${slotOf(Number(r.rated_at))}@${agentKeyOf(r.agent_id)}`),
    calls: groupBy(calls, (r) => `${slotOf(Number(r.started_at))}@${agentKeyOf(r.agent_id)}`),
  };
  const agents: AgentSlotRow[] = [];
  for (const k of new Set([...byAgent.assignments.keys(), ...byAgent.offers.keys(), ...byAgent.ratings.keys(), ...byAgent.calls.keys()])) {
    const { slotAt, key } = parseSlotKey(k);
    const row = agentSlotOf(appId, key, slotAt, {
      assignments: (byAgent.assignments.get(k) ?? []).map((x) => ({ handleMs: Number(x.handle_ms), firstResponseMs: x.first_response_ms === null ? null : Number(x.first_response_ms), responses: x.responses, responseTotalMs: Number(x.response_total_ms) })),
      offers: byAgent.offers.get(k) ?? [],
      ratings: byAgent.ratings.get(k) ?? [],
      calls: (byAgent.calls.get(k) ?? []).map((x) => ({ acceptedAt: x.accepted_at })),
    });
    if (row) agents.push(row);
  }
  const channels: ChannelSlotRow[] = [];
  for (const [k, rows] of groupBy(conversations, (r) => `${slotOf(Number(r.arrived_at))}@${channelKeyOf(r.channel_id)}`)) {
    const { slotAt, key } = parseSlotKey(k);
    const row = channelSlotOf(appId, key, slotAt, rows.map((r) => ({ outcome: r.outcome, withBot: r.with_bot === 1, handedOff: r.handed_off === 1 })));
    if (row) channels.push(row);
  }
  return { queues, agents, channels };
}

const DAY_MS = 86_400_000;

/** The first and last instant of any row of the app's read model, or null when it has none. */
async function extentOf(db: Db, appId: string): Promise<{ from: number; to: number } | null> {
  const rows = await Promise.all([
    db.selectFrom('report_queue_visits').select((eb) => [eb.fn.min('entered_at').as('lo'), eb.fn.max('entered_at').as('hi')]).where('app_id', '=', appId).executeTakeFirst(),
    db.selectFrom('report_assignments').select((eb) => [eb.fn.min('assigned_at').as('lo'), eb.fn.max('assigned_at').as('hi')]).where('app_id', '=', appId).executeTakeFirst(),
    db.selectFrom('report_offers').select((eb) => [eb.fn.min('offered_at').as('lo'), eb.fn.max('offered_at').as('hi')]).where('app_id', '=', appId).executeTakeFirst(),
    db.selectFrom('report_ratings').select((eb) => [eb.fn.min('rated_at').as('lo'), eb.fn.max('rated_at').as('hi')]).where('app_id', '=', appId).executeTakeFirst(),
    db.selectFrom('report_calls').select((eb) => [eb.fn.min('started_at').as('lo'), eb.fn.max('started_at').as('hi')]).where('app_id', '=', appId).executeTakeFirst(),
    db.selectFrom('report_conversations').select((eb) => [eb.fn.min('arrived_at').as('lo'), eb.fn.max('arrived_at').as('hi')]).where('app_id', '=', appId).executeTakeFirst(),
  ]);
  const los = rows.map((r) => r?.lo).filter((v) => v !== null && v !== undefined).map(Number);
  const his = rows.map((r) => r?.hi).filter((v) => v !== null && v !== undefined).map(Number);
  return los.length ? { from: slotOf(Math.min(...los)), to: slotOf(Math.max(...his)) + SLOT_MS } : null;
}

/**
 * Rewrites every slot of an app from the read model, a day at a time, each day in one transaction
 * (its slots deleted and written again): `analytics rebuild`, and the migration that added
 * roll-ups to a database that already had rows. Returns how many slots it wrote.
 */
export async function rebuildSlots(db: Db, lockKey: LockKey | null, appId: string): Promise<number> {
  const extent = await extentOf(db, appId);
  // NOTE: a migration already runs in a transaction (Kysely has no nested ones): its steps run in it.
  const inTransaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn));
  await inTransaction(async (tx) => {
    if (lockKey) await lockKey(tx, rollupLockKey(appId));
    // Slots outside the rows' extent have no rows left: they go.
    for (const table of ['report_queue_slots', 'report_agent_slots', 'report_channel_slots'] as const) {
      let q = tx.deleteFrom(table).where('app_id', '=', appId);
      if (extent) q = q.where((eb) => eb.or([eb('slot_at', '<', extent.from), eb('slot_at', '>=', extent.to)]));
      await q.execute();
    }
  });
  if (!extent) return 0;
  let written = 0;
  for (let from = extent.from; from < extent.to; from += DAY_MS) {
    const to = Math.min(extent.to, from + DAY_MS);
    await inTransaction(async (tx) => {
      if (lockKey) await lockKey(tx, rollupLockKey(appId));
      const slots = await slotsOfWindow(tx, appId, from, to);
      for (const table of ['report_queue_slots', 'report_agent_slots', 'report_channel_slots'] as const) await tx.deleteFrom(table).where('app_id', '=', appId).where('slot_at', '>=', from).where('slot_at', '<', to).execute();
      await insertChunked(tx, 'report_queue_slots', slots.queues);
      await insertChunked(tx, 'report_agent_slots', slots.agents);
      await insertChunked(tx, 'report_channel_slots', slots.channels);
      written += slots.queues.length + slots.agents.length + slots.channels.length;
    });
  }
  return written;
}

/** Rewrites every roll-up of an app, the 15-minute slots and the agent hours (`analytics rebuild`); returns how many rows it wrote. */
export async function rebuildRollups(db: Db, lockKey: LockKey | null, appId: string): Promise<number> {
  return (await rebuildSlots(db, lockKey, appId)) + (await rebuildAgentHours(db, lockKey, appId));
}

/**
 * Rewrites every agent hour row of an app from the read model, a day at a time (each day in one
 * transaction): part of rebuildRollups, and the migration that added the hourly tier. Returns how
 * many rows it wrote.
 */
export async function rebuildAgentHours(db: Db, lockKey: LockKey | null, appId: string): Promise<number> {
  const extent = await extentOf(db, appId);
  // Held time lasts up to HELD_CAP_MS past the last assignment's start.
  const hours = extent ? { from: hourOf(extent.from), to: hourOf(extent.to + HELD_CAP_MS) + HOUR_MS } : null;
  const inTransaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn));
  await inTransaction(async (tx) => {
    if (lockKey) await lockKey(tx, rollupLockKey(appId));
    let q = tx.deleteFrom('report_agent_hours').where('app_id', '=', appId);
    if (hours) q = q.where((eb) => eb.or([eb('hour_at', '<', hours.from), eb('hour_at', '>=', hours.to)]));
    await q.execute();
  });
  if (!hours) return 0;
  let written = 0;
  for (let from = hours.from; from < hours.to; from += DAY_MS) {
    const to = Math.min(hours.to, from + DAY_MS);
    await inTransaction(async (tx) => {
      if (lockKey) await lockKey(tx, rollupLockKey(appId));
      const rows = await agentHoursOfWindow(tx, appId, from, to);
      await tx.deleteFrom('report_agent_hours').where('app_id', '=', appId).where('hour_at', '>=', from).where('hour_at', '<', to).execute();
      for (let i = 0; i < rows.length; i += CHUNK) await tx.insertInto('report_agent_hours').values(rows.slice(i, i + CHUNK)).execute();
      written += rows.length;
    });
  }
  return written;
}

/** The apps that have rows in the read model (the migration fills their slots). */
export async function appsWithFacts(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('report_conversations')
    .select('app_id')
    .distinct()
    .union(db.selectFrom('report_ratings').select('app_id').distinct())
    .union(db.selectFrom('report_calls').select('app_id').distinct())
    .execute();
  return [...new Set(rows.map((r) => r.app_id))].sort();
}
