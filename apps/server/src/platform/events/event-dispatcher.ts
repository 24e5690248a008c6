import type { Logger } from '../logger.ts';
import type { Storage, Tx } from '../storage/storage.ts';

/** Event name → payload. The server's catalogue is `DomainEvents` (src/events.ts). */
export type EventMap = object;

/** What an in-transaction listener (and the code that emits) works with: the transaction, and how to announce more. */
export interface EventContext<M extends EventMap> {
  readonly tx: Tx;
  /** Runs the event's in-transaction listeners now, in this transaction, and its after-commit listeners once it commits. */
  emit<K extends keyof M & string>(type: K, event: M[K]): Promise<void>;
  /**
   * Announces several events of one type at once (a group commit): batch listeners get them in one
   * call, per-event listeners once per event, each in this transaction; after commit they come in order.
   */
  emitAll<K extends keyof M & string>(type: K, events: readonly M[K][]): Promise<void>;
}

type InTransactionListener<M extends EventMap, K extends keyof M> = (event: M[K], ctx: EventContext<M>) => Promise<void>;
type InTransactionBatchListener<M extends EventMap, K extends keyof M> = (events: readonly M[K][], ctx: EventContext<M>) => Promise<void>;
type AfterCommitListener<M extends EventMap, K extends keyof M> = (event: M[K]) => void | Promise<void>;

interface Registered<F> {
  name: string;
  fn: F;
  /** Takes the events of one `emitAll` in one call (one multi-row write instead of one per event). */
  batch?: boolean;
}

/**
 * Typed domain events in two phases. A module announces what happened with `ctx.emit` inside the
 * transaction of the change; each consumer registers a listener (in its `<module>.listeners.ts`,
 * all listed in app.ts):
 * - **in-transaction** listeners get the transaction: they write what must commit with the change
 *   (outbox rows, CDR jobs, projections), and may emit further events;
 * - **after-commit** listeners do what must not happen unless it committed (fan-out to sockets, bot
 *   replies, reminders, further commands). They run in emission order, awaited, once the
 *   transaction has committed; a failing one is logged and does not undo the commit or stop the others.
 * An in-transaction listener must use `ctx.tx` only: opening another transaction from it would wait
 * for the connection its caller holds (SQLite has one).
 */
export function createEventDispatcher<M extends EventMap>(deps: { storage: Storage; log: Logger }) {
  const { storage, log } = deps;
  const inTransaction = new Map<keyof M, Registered<InTransactionListener<M, any> & InTransactionBatchListener<M, any>>[]>();
  const afterCommit = new Map<keyof M, Registered<AfterCommitListener<M, any>>[]>();

  function add<F>(map: Map<keyof M, Registered<F>[]>, type: keyof M, name: string, fn: F, batch = false): void {
    map.set(type, [...(map.get(type) ?? []), { name, fn, batch }]);
  }

  async function runAfterCommit(events: readonly { type: keyof M & string; event: unknown }[]): Promise<void> {
    for (const { type, event } of events) {
      for (const listener of afterCommit.get(type) ?? []) {
        try {
          await listener.fn(event as M[keyof M]);
        } catch (err) {
          log.error({ err, event: type, listener: listener.name }, 'after-commit listener failed');
        }
      }
    }
  }

  function newUnit() {
    const committed: { type: keyof M & string; event: unknown }[] = [];
    return {
      bind: (tx: Tx) => contextOf(tx, committed),
      afterCommit: () => runAfterCommit(committed.splice(0)),
    };
  }

  function contextOf(tx: Tx, committed: { type: keyof M & string; event: unknown }[]): EventContext<M> {
    const ctx: EventContext<M> = {
      tx,
      async emit(type, event) {
        // Queued before its in-transaction listeners run: events they emit come after it, after commit too.
        committed.push({ type, event });
        for (const listener of inTransaction.get(type) ?? []) await (listener.batch ? listener.fn([event], ctx) : listener.fn(event, ctx));
      },
      async emitAll(type, batch) {
        if (batch.length === 0) return;
        for (const event of batch) committed.push({ type, event });
        // NOTE: listener by listener (each sees the whole batch before the next runs), not event by
        // event: a batch listener writes once per batch. Per-event listeners still see every event.
        for (const listener of inTransaction.get(type) ?? []) {
          if (listener.batch) await listener.fn(batch, ctx);
          else for (const event of batch) await listener.fn(event, ctx);
        }
      },
    };
    return ctx;
  }

  return {
    onInTransaction<K extends keyof M & string>(type: K, name: string, fn: InTransactionListener<M, K>): void {
      add(inTransaction, type, name, fn);
    },

    /** An in-transaction listener that takes the events of one `emit` or `emitAll` in one call. */
    onInTransactionBatch<K extends keyof M & string>(type: K, name: string, fn: InTransactionBatchListener<M, K>): void {
      add(inTransaction, type, name, fn, true);
    },

    onAfterCommit<K extends keyof M & string>(type: K, name: string, fn: AfterCommitListener<M, K>): void {
      add(afterCommit, type, name, fn);
    },

    /**
     * Runs `work` in a new transaction, or in `outer` when the caller already has one (its events
     * then commit, and reach after-commit listeners, with the caller's). Resolves after the
     * after-commit listeners of everything emitted have run.
     */
    async transaction<T>(work: (ctx: EventContext<M>) => Promise<T>, outer?: EventContext<M>): Promise<T> {
      if (outer) return work(outer);
      const unit = newUnit();
      const result = await storage.db.transaction().execute((tx) => work(unit.bind(tx)));
      await unit.afterCommit();
      return result;
    },

    /**
     * For callers that run their own transaction and must choose when after-commit listeners run
     * (the routing shell dispatches them outside its per-app queue, which listeners may read):
     * `bind(tx)` gives the context for that transaction; `afterCommit()` runs the listeners of what
     * was emitted, once it committed.
     */
    unit: () => newUnit(),

    /**
     * Runs the after-commit listeners of an event committed elsewhere, or of one that changes no
     * data (typing): another node's routing decisions replayed here reach this node's sockets.
     */
    published<K extends keyof M & string>(type: K, event: M[K]): Promise<void> {
      return runAfterCommit([{ type, event }]);
    },
  };
}

export type EventDispatcher<M extends EventMap> = ReturnType<typeof createEventDispatcher<M>>;
