import { AsyncLocalStorage } from 'node:async_hooks';
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { RoutingEngine } from './engine/engine.ts';
import type { RoutingAction, RoutingEvent, RoutingRejection } from './engine/types.ts';
import type { Decided } from './routing.events.ts';

export interface HandleResult {
  actions: RoutingAction[];
  rejection?: RoutingRejection | undefined;
}

interface Pending {
  events: RoutingEvent[];
  resolve: (outcome: { results: HandleResult[]; dispatched: Promise<void> }) => void;
  reject: (err: unknown) => void;
}

interface AppRouting {
  appId: string;
  engine: RoutingEngine;
  /** The last log seq applied to `engine`. */
  seq: number;
  lastAt: number;
  /** Every operation on this app's engine runs on this chain, one at a time. */
  chain: Promise<void>;
  pending: Pending[];
  drainQueued: boolean;
  cancelTimer: (() => void) | undefined;
  /** After-commit dispatch of this app's decisions, one batch after the other, outside `chain`. */
  dispatching: Promise<void>;
  /** False until the log is replayed, and again after a failed transaction, which may have left
   * decisions in the engine that were never committed: the engine is then rebuilt from the log. */
  loaded: boolean;
}

type History =
  | { kind: 'step'; row: Database['routing_history'] }
  | { kind: 'status'; row: Database['agent_status_history'] };

/**
 * Routing steps of each conversation and status changes of each agent, for history and reports,
 * ordered by log seq and then by decision. A transfer's note is kept with its steps.
 */
function historyOf(appId: string, seq: number, at: number, event: RoutingEvent, actions: readonly RoutingAction[]): History[] {
  let n = 0;
  const ord = () => seq * 1000 + n++;
  const out: History[] = [];
  if (event.type === 'session.transfer') {
    out.push({ kind: 'step', row: { id: newId('rh'), app_id: appId, conversation_id: event.sessionId, type: 'transfer', data: JSON.stringify({ to: event.to, note: event.note ?? null, ...(event.intercept ? { intercept: true } : {}) }), at, ord: ord() } });
  }
  for (const action of actions) {
    if (action.type === 'agent.status') {
      out.push({ kind: 'status', row: { id: newId('ash'), app_id: appId, agent_id: action.agentId, from_status: action.from, to_status: action.to, reason: action.reason ?? null, at, ord: ord() } });
      continue;
    }
    const { type, sessionId, ...data } = action;
    out.push({ kind: 'step', row: { id: newId('rh'), app_id: appId, conversation_id: sessionId, type, data: JSON.stringify(data), at, ord: ord() } });
  }
  return out;
}

async function insertChunked<T extends 'routing_log' | 'routing_history' | 'agent_status_history'>(tx: Tx, table: T, rows: Database[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insertInto(table).values(rows.slice(i, i + INSERT_CHUNK) as never).execute();
}

const NOTIFY_CHANNEL = 'frontdesk_routing';
/** Ended sessions stay in the core this long (late commands on them get "ended", not "not found"). */
const ENDED_RETENTION_MS = 10 * 60_000;

/**
 * Handles one logged event. Ended sessions are forgotten after each tick: at the same log
 * positions on every node (live or replaying), so every copy of the core stays identical.
 */
function handleLogged(engine: RoutingEngine, event: RoutingEvent, at: number) {
  const result = engine.handle(event, at);
  if (event.type === 'tick') engine.forgetEnded(ENDED_RETENTION_MS);
  return result;
}
const REPLAY_PAGE = 5000;
const INSERT_CHUNK = 200;

/**
 * The routing shell. The ACD core is deterministic, so the durable state of routing is the
 * ordered log of events it handled (`routing_log`): every node replays that log into its own
 * engine copy and so holds the same state. A node handles new events under a per-app lock
 * (PostgreSQL advisory lock): it first replays what other nodes logged, then handles the events,
 * appends them with the next seqs, and applies their decisions to the tables, all in one
 * transaction. So an offer or assignment is decided once, by whichever node holds the lock, and
 * never given to two agents. Events queued while a transaction runs go into the next one
 * (group commit). Timers: each node arms one for its engine's next deadline and logs a `tick`
 * when it fires, unless another node's tick got there first.
 */
export function createRoutingShell(deps: { storage: Storage; clock: Clock; log: Logger; events: Events }) {
  const { storage, clock, log, events } = deps;
  /** Set while this node runs after-commit listeners of routing decisions (see `submit`). */
  const dispatchScope = new AsyncLocalStorage<true>();
  const apps = new Map<string, AppRouting>();
  let unlisten: (() => Promise<void>) | undefined;
  let closed = false;

  function stateOf(appId: string): AppRouting {
    let st = apps.get(appId);
    if (!st) {
      st = { appId, engine: new RoutingEngine(), seq: 0, lastAt: 0, chain: Promise.resolve(), pending: [], drainQueued: false, cancelTimer: undefined, dispatching: Promise.resolve(), loaded: false };
      apps.set(appId, st);
    }
    return st;
  }

  /** Runs `op` after the app's earlier operations; a failure does not stop later ones. */
  function run(st: AppRouting, op: () => Promise<void>): Promise<void> {
    const next = st.chain.then(async () => {
      if (!st.loaded) {
        st.engine = new RoutingEngine();
        st.seq = 0;
        st.lastAt = 0;
        await replay(st);
        st.loaded = true;
      }
      await op();
    });
    st.chain = next.catch(() => {});
    return next;
  }

  /** Applies log entries after `st.seq` to the engine; answers their decisions, for this node's listeners. */
  async function replay(st: AppRouting, tx?: Tx): Promise<Decided[]> {
    const { appId } = st;
    const replayed: Decided[] = [];
    for (;;) {
      const rows = await (tx ?? storage.db)
        .selectFrom('routing_log')
        .select(['seq', 'at', 'event'])
        .where('app_id', '=', appId)
        .where('seq', '>', st.seq)
        .orderBy('seq')
        .limit(REPLAY_PAGE)
        .execute();
      for (const row of rows) {
        const { actions } = handleLogged(st.engine, JSON.parse(row.event) as RoutingEvent, row.at);
        st.seq = row.seq;
        st.lastAt = row.at;
        if (actions.length > 0) replayed.push({ appId, at: row.at, actions });
      }
      if (rows.length < REPLAY_PAGE) return replayed;
    }
  }

  /**
   * Runs after-commit listeners of decisions (replayed ones first), after the app's earlier
   * batches, outside `chain`: listeners may read the engine (`read` waits on `chain`).
   */
  function dispatch(st: AppRouting, replayed: readonly Decided[], committed?: () => Promise<void>): Promise<void> {
    const run = async () => {
      for (const decided of replayed) await events.published('routing.decided', decided);
      await committed?.();
    };
    st.dispatching = st.dispatching.then(() => dispatchScope.run(true, run)).catch((err) => log.error({ err, appId: st.appId }, 'routing dispatch failed'));
    return st.dispatching;
  }

  async function drain(st: AppRouting): Promise<void> {
    const { appId } = st;
    st.drainQueued = false;
    const batch = st.pending.splice(0);
    if (batch.length === 0) return;
    const unit = events.unit();
    try {
      const { results, logged, replayed } = await storage.db.transaction().execute(async (tx) => {
        const ctx = unit.bind(tx);
        await storage.lockKey(tx, `routing:${appId}`);
        const replayed = await replay(st, tx);
        const rows: { app_id: string; seq: number; at: number; event: string }[] = [];
        const steps: History[] = [];
        const decided: Decided[] = [];
        const results = batch.map((item) =>
          item.events.map((event): HandleResult => {
            const at = Math.max(clock.now(), st.lastAt);
            // A tick with nothing due (another node's tick came first) changes nothing: not logged.
            if (event.type === 'tick' && !((st.engine.nextDeadline() ?? Infinity) <= at)) return { actions: [] };
            const result = handleLogged(st.engine, event, at);
            st.seq++;
            st.lastAt = at;
            rows.push({ app_id: appId, seq: st.seq, at, event: JSON.stringify(event) });
            steps.push(...historyOf(appId, st.seq, at, event, result.actions));
            if (result.actions.length > 0) decided.push({ appId, at, actions: result.actions });
            return result;
          }),
        );
        await insertChunked(tx, 'routing_log', rows);
        await insertChunked(tx, 'routing_history', steps.filter((h) => h.kind === 'step').map((h) => h.row));
        await insertChunked(tx, 'agent_status_history', steps.filter((h) => h.kind === 'status').map((h) => h.row));
        for (const d of decided) await ctx.emit('routing.decided', d);
        return { results, logged: rows.length, replayed };
      });
      const dispatched = dispatch(st, replayed, unit.afterCommit);
      batch.forEach((item, i) => item.resolve({ results: results[i]!, dispatched }));
      if (logged > 0) storage.notify(NOTIFY_CHANNEL, `${appId}:${st.seq}`).catch((err) => log.warn({ err }, 'routing notify failed'));
    } catch (err) {
      st.loaded = false;
      for (const item of batch) item.reject(err);
    }
  }

  function armTimer(st: AppRouting): void {
    st.cancelTimer?.();
    st.cancelTimer = undefined;
    const deadline = st.engine.nextDeadline();
    if (deadline === undefined || closed) return;
    st.cancelTimer = clock.at(deadline, () => {
      st.cancelTimer = undefined;
      submit(st.appId, [{ type: 'tick' }]).catch((err) => log.warn({ err, appId: st.appId }, 'routing tick failed'));
    });
  }

  /**
   * Handles `routingEvents` in order, in one transaction; resolves once they are committed and this
   * node's after-commit listeners have run (sockets were told before the caller answers).
   * NOTE: a caller that is itself such a listener gets its results without waiting for its own
   * decisions' listeners, which are queued behind the ones running it.
   */
  async function submit(appId: string, routingEvents: RoutingEvent[]): Promise<HandleResult[]> {
    if (closed) throw new Error('routing is shut down');
    const st = stateOf(appId);
    const done = new Promise<{ results: HandleResult[]; dispatched: Promise<void> }>((resolve, reject) => st.pending.push({ events: routingEvents, resolve, reject }));
    if (!st.drainQueued) {
      st.drainQueued = true;
      void run(st, async () => {
        await drain(st);
        armTimer(st);
      });
    }
    const { results, dispatched } = await done;
    if (!dispatchScope.getStore()) await dispatched;
    return results;
  }

  /** Catches the app's engine up with the log (another node wrote to it). */
  function catchUp(appId: string): Promise<void> {
    const st = apps.get(appId);
    if (!st) return Promise.resolve();
    return run(st, async () => {
      const replayed = await replay(st);
      armTimer(st);
      void dispatch(st, replayed);
    });
  }

  return {
    submit,
    /** Reads the app's engine after every earlier operation of this node has been applied. */
    async read<T>(appId: string, fn: (engine: RoutingEngine) => T): Promise<T> {
      const st = stateOf(appId);
      let value!: T;
      await run(st, async () => {
        value = fn(st.engine);
      });
      return value;
    },
    /**
     * Reads the app's engine as it stands now, without waiting for operations in progress (the
     * engine changes only inside `handle`, which is synchronous, so it is never seen half-changed);
     * waits like `read` only while the app is not loaded yet. For views where a state a few ms old
     * is as good, read by visitors' pages that must not queue behind routing.
     */
    async peek<T>(appId: string, fn: (engine: RoutingEngine) => T): Promise<T> {
      const st = stateOf(appId);
      return st.loaded ? fn(st.engine) : this.read(appId, fn);
    },
    /** Listens for other nodes' log entries (PostgreSQL); a no-op on SQLite's single node. */
    async start(): Promise<void> {
      unlisten = await storage.listen(
        NOTIFY_CHANNEL,
        (payload) => void catchUp(payload.slice(0, payload.lastIndexOf(':'))).catch((err) => log.warn({ err }, 'routing catch-up failed')),
        () => {
          for (const appId of apps.keys()) void catchUp(appId).catch(() => {});
        },
      );
    },
    async close(): Promise<void> {
      closed = true;
      for (const st of apps.values()) st.cancelTimer?.();
      await Promise.all([...apps.values()].map((st) => st.chain));
      await Promise.all([...apps.values()].map((st) => st.dispatching));
      await unlisten?.();
    },
  };
}

export type RoutingShell = ReturnType<typeof createRoutingShell>;
