import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { openStorage, type Storage } from '../storage/storage.ts';
import { createEventDispatcher } from './event-dispatcher.ts';

interface TestEvents {
  'thing.made': { id: string };
  'thing.noted': { id: string };
}

describe('event dispatcher', () => {
  let storage: Storage | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await storage?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-events-'));
    storage = await openStorage({ dataDir: dir });
    const seen: string[] = [];
    const events = createEventDispatcher<TestEvents>({ storage, log: createLogger('silent') });
    return { events, seen, storage };
  }

  it('runs in-transaction listeners inside the emitting transaction and after-commit listeners once it committed, in emission order', async () => {
    const { events, seen, storage } = await setup();
    events.onInTransaction('thing.made', 'writer', async ({ id }, ctx) => {
      await ctx.tx.insertInto('server_settings').values({ key: id, value: 'x' }).execute();
      seen.push(`in-tx ${id}`);
      await ctx.emit('thing.noted', { id });
    });
    events.onAfterCommit('thing.made', 'reader', async ({ id }) => {
      const row = await storage.db.selectFrom('server_settings').select('value').where('key', '=', id).executeTakeFirst();
      seen.push(`after ${id} ${row?.value}`);
    });
    events.onAfterCommit('thing.noted', 'noter', ({ id }) => void seen.push(`noted ${id}`));
    await events.transaction(async (ctx) => {
      await ctx.emit('thing.made', { id: 'a' });
      await ctx.emit('thing.made', { id: 'b' });
      seen.push('work done');
    });
    expect(seen).toEqual(['in-tx a', 'in-tx b', 'work done', 'after a x', 'noted a', 'after b x', 'noted b']);
  });

  it('a rolled-back transaction reaches no after-commit listener and leaves nothing written', async () => {
    const { events, seen, storage } = await setup();
    events.onInTransaction('thing.made', 'writer', async ({ id }, { tx }) => void (await tx.insertInto('server_settings').values({ key: id, value: 'x' }).execute()));
    events.onAfterCommit('thing.made', 'reader', ({ id }) => void seen.push(id));
    await expect(
      events.transaction(async (ctx) => {
        await ctx.emit('thing.made', { id: 'lost' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(seen).toEqual([]);
    expect(await storage.db.selectFrom('server_settings').selectAll().where('key', '=', 'lost').execute()).toEqual([]);
  });

  it('a failing after-commit listener is logged, and neither undoes the commit nor stops the next listeners', async () => {
    const { events, seen } = await setup();
    events.onAfterCommit('thing.made', 'broken', () => {
      throw new Error('boom');
    });
    events.onAfterCommit('thing.made', 'fine', ({ id }) => void seen.push(id));
    await events.transaction((ctx) => ctx.emit('thing.made', { id: 'kept' }));
    await events.published('thing.made', { id: 'published' });
    expect(seen).toEqual(['kept', 'published']);
  });

  it('work given an outer context joins its transaction: its events reach after-commit listeners when the outer one commits', async () => {
    const { events, seen } = await setup();
    events.onAfterCommit('thing.made', 'reader', ({ id }) => void seen.push(id));
    await events.transaction(async (outer) => {
      await events.transaction((ctx) => ctx.emit('thing.made', { id: 'inner' }), outer);
      seen.push('outer still open');
    });
    expect(seen).toEqual(['outer still open', 'inner']);
  });

  it('emitAll: a batch listener gets the events of a batch in one call, a per-event listener each with the transaction; after commit each in order', async () => {
    const { events, seen } = await setup();
    events.onInTransactionBatch('thing.made', 'batch writer', async (batch, { tx }) => {
      await tx.insertInto('server_settings').values(batch.map(({ id }) => ({ key: id, value: 'x' }))).execute();
      seen.push(`batch ${batch.map((e) => e.id).join(',')}`);
    });
    events.onInTransaction('thing.made', 'per event', async ({ id }, { tx }) => {
      const row = await tx.selectFrom('server_settings').select('value').where('key', '=', id).executeTakeFirst();
      seen.push(`one ${id} ${row?.value}`);
    });
    events.onAfterCommit('thing.made', 'after', ({ id }) => void seen.push(`after ${id}`));
    await events.transaction(async (ctx) => {
      await ctx.emitAll('thing.made', [{ id: 'p' }, { id: 'q' }, { id: 'r' }]);
      await ctx.emit('thing.made', { id: 's' });
    });
    expect(seen).toEqual(['batch p,q,r', 'one p x', 'one q x', 'one r x', 'batch s', 'one s x', 'after p', 'after q', 'after r', 'after s']);
  });
});
