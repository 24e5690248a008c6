import { afterAll, describe, expect, it } from 'vitest';
import type { ReportInterval } from '@frontdesk/protocol';
import { analyticsMigrations } from '../src/modules/analytics/analytics.migrations.ts';
import { createAnalytics } from '../src/modules/analytics/analytics.service.ts';
import type { StatusChange } from '../src/modules/analytics/agent-metrics.ts';
import type { ConversationFacts, OfferOutcome, VisitOutcome } from '../src/modules/analytics/conversation-facts.ts';
import { storeFacts } from '../src/modules/analytics/facts-write-job.ts';
import { writeCalls, writeRating } from '../src/modules/analytics/report-writes.ts';
import { reportRangeOf } from '../src/modules/analytics/report-range.ts';
import { rollupsServe } from '../src/modules/analytics/rollup-reports.ts';
import { hourAligned } from '../src/modules/analytics/rollup-hours.ts';
import { rebuildRollups, refreshSlots } from '../src/modules/analytics/rollup-store.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openStorage, type Storage } from '../src/platform/storage/storage.ts';
import { freshStorage, STORAGES } from './helpers.ts';

/**
 * Property test: on random read-model rows (waits, outcomes, transfers, offers, ratings with and
 * without an agent, calls, wrap-ups) around the 2026 autumn clock changes, every report read from
 * the 15-minute roll-ups equals the same report read from the rows, in zones with whole-hour,
 * half-hour and 45-minute offsets and DST (Lord Howe's is 30 minutes); the slots written one
 * conversation at a time (and rewritten) equal those a rebuild writes from scratch.
 */

const APP = 'app_rollups';
const QUEUES = ['q_a', 'q_b', 'q_c'];
const AGENTS = ['agt_1', 'agt_2', 'agt_3', 'agt_4'];
const CHANNELS = ['chan_web', 'chan_app', null];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];
const START = Date.UTC(2026, 9, 20);
const SPAN_MS = 16 * 86_400_000;
const STATUSES = ['free', 'busy', 'wrap_up', 'not_ready', 'rest', 'offline'];

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(rnd: () => number, n: number, version: number) {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const int = (max: number) => Math.floor(rnd() * max);
  const all: ConversationFacts[] = [];
  const wrapUps: StatusChange[] = [];
  for (let i = 0; i < n; i++) {
    const id = `conv_${i}`;
    const arrivedAt = START + int(SPAN_MS) + version * int(3) * 900_000;
    const channelId = pick(CHANNELS);
    const visits: ConversationFacts['visits'] = [];
    const assignments: ConversationFacts['assignments'] = [];
    const offers: ConversationFacts['offers'] = [];
    for (const queueId of QUEUES.filter(() => rnd() < 0.45)) {
      const enteredAt = arrivedAt + int(600_000);
      const outcome = pick<VisitOutcome>(['answered', 'answered', 'answered', 'abandoned', 'released', 'overflowed']);
      // Waits on whole seconds too, so a threshold meets some exactly.
      const waitMs = rnd() < 0.3 ? 1000 * int(60) : int(120_000);
      const agentId = outcome === 'answered' ? pick(AGENTS) : null;
      // Some assignments outlast the 24 hours an assignment holds its agent at most (occupancy).
      const handleMs = agentId ? (rnd() < 0.03 ? 86_400_000 + int(7_200_000) : int(3_600_000)) : null;
      const answeredAt = agentId ? enteredAt + waitMs : null;
      const endedAt = answeredAt !== null && handleMs !== null ? answeredAt + handleMs : null;
      visits.push({ conversationId: id, queueId, channelId, enteredAt, answeredAt, waitMs, outcome, transferred: rnd() < 0.2, agentId, handleMs: rnd() < 0.1 ? null : handleMs, assignmentEndedAt: endedAt });
      if (agentId && answeredAt !== null && endedAt !== null) {
        const firstResponseMs = rnd() < 0.2 ? null : int(90_000);
        const responses = int(5);
        assignments.push({ conversationId: id, agentId, queueId, channelId, assignedAt: answeredAt, endedAt, handleMs: endedAt - answeredAt, firstResponseMs, responses, responseTotalMs: responses * int(50_000), transferredOut: rnd() < 0.2 });
        if (rnd() < 0.5) {
          const wrapMs = 1000 + int(300_000);
          wrapUps.push({ agentId, to: 'wrap_up', at: endedAt }, { agentId, to: 'free', at: endedAt + wrapMs });
        }
      }
      for (let k = int(3); k > 0; k--) offers.push({ conversationId: id, agentId: pick(AGENTS), queueId, offeredAt: enteredAt + int(60_000), outcome: pick<OfferOutcome>(['accepted', 'declined', 'missed', 'withdrawn']) });
    }
    const answered = visits.some((v) => v.outcome === 'answered');
    const withBot = rnd() < 0.4;
    all.push({
      conversation: {
        conversationId: id,
        appId: APP,
        channelId,
        visitorId: `vis_${i}`,
        queueId: visits[0]?.queueId ?? null,
        arrivedAt,
        queuedAt: visits[0]?.enteredAt ?? null,
        answeredAt: null,
        endedAt: arrivedAt + 4_000_000,
        waitMs: null,
        outcome: visits.length === 0 ? (withBot ? 'bot_resolved' : 'unrouted') : answered ? 'answered' : pick(['abandoned', 'released']),
        withBot,
        handedOff: withBot && visits.length > 0,
        transfers: 0,
        firstAgentId: assignments[0]?.agentId ?? null,
        lastAgentId: assignments.at(-1)?.agentId ?? null,
        agentIds: assignments.map((a) => a.agentId),
        handleMs: 0,
        firstResponseMs: null,
        visitorMessages: 1,
        agentMessages: 0,
        botMessages: 0,
        closeBy: 'client',
      },
      visits,
      assignments,
      offers,
    });
  }
  return { all, wrapUps };
}

async function slotTables(storage: Storage) {
  const read = (table: 'report_queue_slots' | 'report_agent_slots' | 'report_channel_slots' | 'report_agent_hours') => storage.db.selectFrom(table).selectAll().execute();
  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
  return { queues: sorted(await read('report_queue_slots')), agents: sorted(await read('report_agent_slots')), channels: sorted(await read('report_channel_slots')), agentHours: sorted(await read('report_agent_hours')) };
}

describe.each(STORAGES)('report roll-ups give the rows’ figures (%s)', (kind) => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of drops) await d();
  });

  it('on random data, in zones with DST and 30/45-minute offsets, for every report and filter', async () => {
    const fresh = await freshStorage(kind);
    const storage = await openStorage({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl });
    drops.push(async () => {
      await storage.close();
      await fresh.drop();
    });
    const lockKey = (tx: Parameters<Storage['lockKey']>[0], key: string) => storage.lockKey(tx, key);
    const rnd = random(kind === 'sqlite' ? 7 : 11);
    const first = generate(rnd, 400, 0);
    const write = async (facts: ConversationFacts) =>
      storage.db.transaction().execute(async (tx) => {
        const keys = await storeFacts(tx, facts, 0);
        await refreshSlots(tx, lockKey, APP, keys);
      });
    for (const facts of first.all) await write(facts);
    // Some conversations written again with other rows (a rebuild after a formula change): their old slots must lose them.
    const second = generate(random(99), 400, 1);
    for (const facts of second.all.filter((_, i) => i % 4 === 0)) await write(facts);
    const rated = first.all.filter(() => rnd() < 0.5);
    for (const c of rated)
      await storage.db.transaction().execute((tx) =>
        writeRating(tx, lockKey, APP, { conversationId: c.conversation.conversationId, agentId: rnd() < 0.2 ? null : AGENTS[Math.floor(rnd() * AGENTS.length)]!, stars: 1 + Math.floor(rnd() * 5), ratedAt: c.conversation.endedAt + Math.floor(rnd() * 900_000) }),
      );
    // A rating given again replaces the first (its slot must lose it).
    for (const c of rated.slice(0, 30))
      await storage.db.transaction().execute((tx) => writeRating(tx, lockKey, APP, { conversationId: c.conversation.conversationId, agentId: AGENTS[0]!, stars: 5, ratedAt: c.conversation.endedAt + 86_400_000 }));
    const calls = Array.from({ length: 120 }, (_, i) => {
      const startedAt = START + Math.floor(rnd() * SPAN_MS);
      return { callId: `call_${i}`, conversationId: `conv_${i}`, mainAgentId: rnd() < 0.2 ? null : AGENTS[Math.floor(rnd() * AGENTS.length)]!, queueId: QUEUES[i % 3]!, kind: 'audio', startedAt, acceptedAt: rnd() < 0.6 ? startedAt + 5_000 : null, endedAt: startedAt + 60_000, durationMs: 55_000, endStatus: 'hangup' };
    });
    await storage.db.transaction().execute((tx) => writeCalls(tx, lockKey, APP, calls));

    // Agents' status history: random changes and the wrap-ups that follow assignments.
    const changes: StatusChange[] = [...first.wrapUps];
    for (const agentId of AGENTS) for (let k = 0; k < 80; k++) changes.push({ agentId, to: STATUSES[Math.floor(rnd() * STATUSES.length)]!, at: START - 86_400_000 + Math.floor(rnd() * (SPAN_MS + 2 * 86_400_000)) });
    changes.sort((a, b) => a.at - b.at);
    const statusChangesAround = async (_app: string, fromMs: number, toMs: number) => {
      const before = new Map<string, StatusChange>();
      for (const c of changes) if (c.at < fromMs) before.set(c.agentId, c);
      return [...before.values(), ...changes.filter((c) => c.at >= fromMs && c.at < toMs)].sort((a, b) => a.at - b.at);
    };
    const unused = () => Promise.reject(new Error('not used by reports'));
    const sources = { statusChangesAround, namesOf: unused, closedConversations: unused, overview: unused, findConversation: unused, conversationRouting: unused, messagesAfter: unused, ratingOf: unused };
    const base = { storage, clock: { now: () => START + SPAN_MS + 86_400_000 } as never, log: createLogger('silent'), sources: sources as never, publicUrl: 'http://127.0.0.1:9', exportsDir: fresh.dataDir };
    const withSlots = createAnalytics({ ...base, rollups: true });
    const withRows = createAnalytics({ ...base, rollups: false });

    const pad = (n: number) => String(n).padStart(2, '0');
    let served = 0;
    let fromHours = 0;
    for (let round = 0; round < 40; round++) {
      const tz = ZONES[round % ZONES.length]!;
      const interval = (['hour', 'day', 'week'] as ReportInterval[])[round % 3]!;
      const day = new Date(START + Math.floor(rnd() * 14) * 86_400_000);
      const days = interval === 'hour' ? 1 + Math.floor(rnd() * 2) : 2 + Math.floor(rnd() * 12);
      const end = new Date(day.getTime() + days * 86_400_000);
      const local = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      // Local midnights, or a quarter-hour-aligned instant in UTC (the same slots, other bucket bounds).
      const from = round % 5 === 4 ? String(day.getTime() + Math.floor(rnd() * 96) * 900_000) : local(day);
      const to = round % 5 === 4 ? String(Number(from) + days * 86_400_000 + Math.floor(rnd() * 4) * 900_000) : local(end);
      const filter = [{}, { queueId: QUEUES[0] }, { agentId: AGENTS[1] }, { channelId: 'chan_web' }, { channelId: 'none' }][round % 5]!;
      const f = { from, to, tz, interval, serviceLevelSeconds: 1 + Math.floor(rnd() * 90), ...filter };
      const range = reportRangeOf(f);
      for (const report of ['queues', 'agents', 'channels', 'csat'] as const) {
        if (rollupsServe(report, range, f)) served++;
        if (report === 'agents' && rollupsServe(report, range, f) && hourAligned(range.buckets)) fromHours++;
        const a = await withSlots[report](APP, f);
        const b = await withRows[report](APP, f);
        expect(a, `${report} ${JSON.stringify(f)}`).toEqual(b);
      }
    }
    // 9 of each 5 rounds' 20 comparisons read the slots (the rest have filters the slots are not keyed by).
    expect(served).toBe(72);
    // Agent reports in whole-hour zones read the hourly tier; the others (India, Nepal, Lord Howe, UTC bounds at :15) the quarter hours.
    expect(fromHours).toBeGreaterThanOrEqual(8);
    expect(fromHours).toBeLessThan(18);
    const sample = await withSlots.queues(APP, { from: '2026-10-20', to: '2026-11-05', tz: 'Europe/Berlin', interval: 'day', serviceLevelSeconds: 20 });
    expect(sample.queues.length).toBe(3);
    expect(sample.queues[0]!.total.avgWrapUpMs).not.toBeNull();

    // A rebuild from scratch writes exactly the slots written one conversation at a time.
    const incremental = await slotTables(storage);
    expect(incremental.queues.length).toBeGreaterThan(100);
    expect(incremental.agentHours.length).toBeGreaterThan(100);
    await storage.db.deleteFrom('report_agent_slots').execute();
    await storage.db.deleteFrom('report_agent_hours').where('agent_id', '=', AGENTS[0]!).execute();
    await storage.db.insertInto('report_queue_slots').values({ app_id: APP, slot_at: 0, queue_id: 'q_gone', offered: 1, answered: 0, abandoned: 1, released: 0, overflowed: 0, transferred: 0, answered_wait_ms: 0, handled: 0, handle_ms: 0, longest_wait_ms: 5, answered_waits: '' }).execute();
    await rebuildRollups(storage.db, lockKey, APP);
    expect(await slotTables(storage)).toEqual(incremental);
    // Migration 0027 on a database with the rows but no hourly tier yet fills it with the same hours.
    await storage.db.schema.dropTable('report_agent_hours').execute();
    await analyticsMigrations['0027_analytics_agent_hours']!(storage.db);
    expect(await slotTables(storage)).toEqual(incremental);
  });
});
