import type { CallSupervisionStep, CallSupervisionStepKind } from '@frontdesk/protocol';
import type { DbOrTx, Storage, Tx } from '../../platform/storage/storage.ts';
import type { CallsTables } from './calls.schema.ts';

type StepRow = CallsTables['call_supervision_steps'];

function toStep(row: StepRow): CallSupervisionStep {
  return {
    id: row.id,
    callId: row.call_id,
    supervisorId: row.supervisor_id,
    mode: row.mode as CallSupervisionStepKind,
    previousMode: row.previous_mode as CallSupervisionStepKind | null,
    textOnly: Number(row.text_only) === 1,
    seq: Number(row.seq),
    at: Number(row.at),
  };
}

/** The SQL of call supervision: each call's steps, in order. */
export function createCallSupervisionStore(storage: Storage) {
  const { db } = storage;
  return {
    async stepsOf(appId: string, callId: string, from: DbOrTx = db): Promise<CallSupervisionStep[]> {
      const rows = await from.selectFrom('call_supervision_steps').selectAll().where('app_id', '=', appId).where('call_id', '=', callId).orderBy('seq').execute();
      return rows.map(toStep);
    },

    /** Every step of the calls not ended that the supervisor has supervised (its one voice supervision at a time). */
    async liveStepsOfSupervisor(appId: string, supervisorId: string): Promise<CallSupervisionStep[]> {
      const calls = db.selectFrom('call_supervision_steps').select('call_id').where('app_id', '=', appId).where('supervisor_id', '=', supervisorId);
      const rows = await db
        .selectFrom('call_supervision_steps as s')
        .innerJoin('calls as c', 'c.id', 's.call_id')
        .selectAll('s')
        .where('s.app_id', '=', appId)
        .where('c.ended_at', 'is', null)
        .where('s.call_id', 'in', calls)
        .orderBy('s.seq')
        .execute();
      return rows.map(toStep);
    },

    /** The steps of the app's live calls, by call. */
    async liveSteps(appId: string): Promise<Map<string, CallSupervisionStep[]>> {
      const rows = await db
        .selectFrom('call_supervision_steps as s')
        .innerJoin('calls as c', 'c.id', 's.call_id')
        .selectAll('s')
        .where('s.app_id', '=', appId)
        .where('c.ended_at', 'is', null)
        .orderBy('s.seq')
        .execute();
      const out = new Map<string, CallSupervisionStep[]>();
      for (const row of rows) {
        const list = out.get(row.call_id) ?? [];
        list.push(toStep(row));
        out.set(row.call_id, list);
      }
      return out;
    },

    async insert(tx: Tx, appId: string, step: CallSupervisionStep): Promise<void> {
      await tx
        .insertInto('call_supervision_steps')
        .values({ id: step.id, app_id: appId, call_id: step.callId, supervisor_id: step.supervisorId, mode: step.mode, previous_mode: step.previousMode, text_only: step.textOnly ? 1 : 0, seq: step.seq, at: step.at })
        .execute();
    },
  };
}

export type CallSupervisionStore = ReturnType<typeof createCallSupervisionStore>;
