import type { Events, TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { CallEngine } from './engine/call-engine.ts';
import { CallRejection, type CallAction, type CallEngineOptions, type CallEvent, type CallState } from './engine/types.ts';
import type { CallStore } from './call-store.ts';

export interface CallDecision {
  /** The call after the event (undefined when it does not exist). */
  call: CallState | undefined;
  actions: CallAction[];
  rejection?: CallRejection | undefined;
}

/** How often each node looks for calls whose engine timer is due (their next deadline is also armed at once). */
const SWEEP_INTERVAL_MS = 1_000;
const SWEEP_PAGE = 200;

/**
 * The calls shell: load-decide-save, one call at a time. A call's row is locked, its saved state
 * restored into a `CallEngine` (the pure core), the event handled, and the new state saved with its
 * next timer, all in one transaction that announces `call.decided` (webhooks and CDRs record it in
 * that transaction; after commit the calls module acts on the decisions and the gateway tells the
 * parties). The row lock makes one decision at a time per call on any number of nodes, and a
 * routing decision about a call is applied in the routing transaction itself (`decideIn`).
 *
 * NOTE: not the routing shell's replayed log: a call is one aggregate with one row, and agents'
 * call capacity, the one thing that spans calls, is routing's (`maxConcurrentCalls` here is
 * unbounded). One live call per conversation is a unique index; one per visitor, a query.
 *
 * Timers: the engine's next deadline is saved with the call; each node sweeps due calls every
 * second of clock time and arms a timer for the deadlines it decides.
 */
export function createCallShell(deps: { clock: Clock; log: Logger; events: Events; store: CallStore; options?: CallEngineOptions }) {
  const { clock, log, events, store } = deps;
  const options: CallEngineOptions = { ...deps.options, maxConcurrentCalls: Number.POSITIVE_INFINITY };
  let cancelSweep: (() => void) | undefined;
  let armed: { at: number; cancel: () => void } | undefined;
  let sweeping: Promise<void> | undefined;
  /** A sweep was asked for while one ran: it runs again once that one is done (the clock may have moved). */
  let sweepAgain = false;
  let closed = false;

  async function decideIn(ctx: TxContext, appId: string, callId: string, event: CallEvent): Promise<CallDecision> {
    const isNew = event.type === 'call.request' || event.type === 'call.start_outbound' || event.type === 'call.start_internal';
    const stored = isNew ? undefined : await store.lock(ctx.tx, appId, callId);
    if (!isNew && !stored) return { call: undefined, actions: [], rejection: new CallRejection('FD_CALL_NOT_FOUND', `call ${callId} not found`) };
    const at = Math.max(clock.now(), stored?.clockAt ?? 0);
    const engine = CallEngine.restore(stored ? [stored.state] : [], stored?.clockAt ?? at, options);
    const { actions, rejection } = engine.handle(event, at);
    const call = engine.calls.get(callId);
    if (actions.length > 0 && call) {
      const nextDeadlineAt = engine.nextDeadline() ?? null;
      await store.save(ctx.tx, appId, call, at, nextDeadlineAt, isNew);
      await ctx.emit('call.decided', { appId, call, actions, room: stored?.room ?? null, nextDeadlineAt });
    }
    return { call, actions, rejection };
  }

  async function sweep(): Promise<void> {
    for (;;) {
      const due = await store.due(clock.now(), SWEEP_PAGE);
      for (const { appId, callId } of due) {
        await events.transaction((ctx) => decideIn(ctx, appId, callId, { type: 'tick' })).catch((err) => log.warn({ err, callId }, 'call timer failed'));
      }
      if (due.length < SWEEP_PAGE) return;
    }
  }

  function runSweep(): Promise<void> {
    if (sweeping) {
      sweepAgain = true;
      return sweeping;
    }
    sweeping = (async () => {
      do {
        sweepAgain = false;
        await sweep().catch((err) => log.warn({ err }, 'call timer sweep failed'));
      } while (sweepAgain && !closed);
    })().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }

  function loop(): void {
    if (closed) return;
    cancelSweep = clock.at(clock.now() + SWEEP_INTERVAL_MS, () => void runSweep().finally(loop));
  }

  return {
    /** Handles one event of one call in its own transaction, or in `outer`'s. */
    decide: (appId: string, callId: string, event: CallEvent, outer?: TxContext): Promise<CallDecision> => events.transaction((ctx) => decideIn(ctx, appId, callId, event), outer),
    decideIn,

    /** A call's timer comes due at `at`: sweep then (after-commit listener of `call.decided`). */
    arm(at: number): void {
      if (closed || (armed && armed.at <= at)) return;
      armed?.cancel();
      const entry = { at, cancel: () => {} };
      entry.cancel = clock.at(at, () => {
        if (armed === entry) armed = undefined;
        void runSweep();
      });
      armed = entry;
    },

    start(): void {
      loop();
    },

    async close(): Promise<void> {
      closed = true;
      cancelSweep?.();
      armed?.cancel();
      await sweeping;
    },
  };
}

export type CallShell = ReturnType<typeof createCallShell>;
