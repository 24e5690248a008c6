import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.ts';
import { createLogger } from '../../platform/logger.ts';
import { openStorage, type Storage } from '../../platform/storage/storage.ts';
import { createPresence } from './index.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('presence writes', () => {
  let storage: Storage | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await storage?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-presence-'));
    storage = await openStorage({ dataDir: dir });
    // Counts the transactions the presence module opens (the real ones, on the real database).
    const { db } = storage;
    let transactions = 0;
    const transaction = db.transaction.bind(db);
    db.transaction = (() => {
      transactions++;
      return transaction();
    }) as typeof db.transaction;
    const presence = createPresence({ storage, clock: systemClock, log: createLogger('silent') });
    const rows = async () => (await db.selectFrom('presence_sockets').select('socket_id').orderBy('socket_id').execute()).map((r) => r.socket_id);
    return { presence, rows, transactions: () => transactions };
  }

  it('writes a socket of a quiet moment at the end of its turn, and a burst of hellos in few transactions', async () => {
    const { presence, rows, transactions } = await open();
    presence.connected('s_first', 'acme', 'agent', 'a_1');
    await turn();
    await turn();
    expect(await rows()).toEqual(['s_first']);
    expect(transactions()).toBe(1);

    // 40 hellos, each in a turn of its own, as sockets connecting at once arrive: one transaction a
    // turn would be 40; at most one every 20 ms is asked (however slow the machine makes the turns).
    const burst = Array.from({ length: 40 }, (_, i) => `s_${String(i).padStart(2, '0')}`);
    const started = performance.now();
    for (const id of burst) {
      presence.connected(id, 'acme', 'visitor', `v_${id}`);
      await turn();
    }
    const elapsedMs = performance.now() - started;
    await expect.poll(rows).toEqual(['s_first', ...burst].sort());
    expect(transactions() - 1).toBeLessThanOrEqual(Math.floor(elapsedMs / 20) + 2);

    // A socket that came and went before its write is not written; removals follow their record.
    presence.connected('s_brief', 'acme', 'visitor', 'v_brief');
    presence.disconnected('s_brief');
    presence.disconnected('s_first');
    await expect.poll(rows).toEqual(burst);
    await presence.close();
    expect(await rows()).toEqual([]);
  });
});
