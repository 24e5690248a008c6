import { DomainError } from '../errors.ts';
import type { Storage, Tx } from './storage.ts';

/**
 * Numeric aliases of our string ids, for the vendor surfaces that name things by integers (TCCC
 * `SdkAppId` and `SkillGroupId`, AnyChat `objectid`, TCCC `StaffNumber`). Given by the caller (an
 * integrator keeping its old numbers) or the next free one; unique in their scope. The owning
 * module runs its own queries through the callbacks; this only serializes the choice, across
 * nodes, with a key lock held until the insert commits (a unique index backs it up).
 */
export interface NumericIdSteps<T> {
  /** A number given by the caller, or undefined for the next free one. */
  given: number | undefined;
  /** The largest number in use in the scope (undefined when none). */
  largest: (tx: Tx) => Promise<number | undefined>;
  isTaken: (tx: Tx, numericId: number) => Promise<boolean>;
  insert: (tx: Tx, numericId: number) => Promise<T>;
}

export async function insertWithNumericId<T>(storage: Storage, scope: string, steps: NumericIdSteps<T>): Promise<T> {
  return storage.db.transaction().execute(async (tx) => {
    await storage.lockKey(tx, `numeric-id:${scope}`);
    let numericId = steps.given;
    if (numericId === undefined) numericId = ((await steps.largest(tx)) ?? 0) + 1;
    else if (await steps.isTaken(tx, numericId)) throw numericIdTaken(numericId);
    return steps.insert(tx, numericId);
  });
}

/** Changes a numeric alias, refusing one already in use in the scope. */
export async function changeNumericId(storage: Storage, scope: string, numericId: number, steps: { isTaken: (tx: Tx, numericId: number) => Promise<boolean>; update: (tx: Tx) => Promise<void> }): Promise<void> {
  await storage.db.transaction().execute(async (tx) => {
    await storage.lockKey(tx, `numeric-id:${scope}`);
    if (await steps.isTaken(tx, numericId)) throw numericIdTaken(numericId);
    await steps.update(tx);
  });
}

export function numericIdTaken(numericId: number | string): DomainError {
  return new DomainError('FD_NUMERIC_ID_TAKEN', `${numericId} is already in use`);
}

/** A `max()` as the drivers answer it (a number, a bigint string, or null). */
export function numberOrUndefined(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
