import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteFiles } from './compiled-query.ts';
import { openStorage, type Storage } from './storage.ts';

describe('SQLite planner statistics', () => {
  let storage: Storage | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await storage?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are brought up to date at open, without value samples: ids of one app are looked up by their key, not by walking the app', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-statistics-'));
    storage = await openStorage({ dataDir: dir });
    const fill = sqliteFiles.get(storage.db.getExecutor().adapter)!;
    fill.pragma('foreign_keys = off');
    const insert = fill.prepare('insert into visitors (id, app_id, name, created_at, external_id) values (?, ?, ?, ?, ?)');
    fill.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`vis_${i}`, 'acme', `Visitor ${i}`, i, i % 2 ? null : `ext_${i}`);
    })();
    await storage.close();

    storage = await openStorage({ dataDir: dir });
    const file = sqliteFiles.get(storage.db.getExecutor().adapter)!;
    const ids = ['vis_1', 'vis_500', 'vis_900', 'vis_1200', 'vis_2000', 'vis_2500', 'vis_2999'];
    const byIds = `select id, name, external_id from visitors where app_id = ? and id in (${ids.map(() => '?').join(', ')})`;
    const plan = (file.prepare(`explain query plan ${byIds}`).all(['acme', ...ids]) as { detail: string }[]).map((r) => r.detail);
    expect(plan).toEqual([expect.stringMatching(/^SEARCH visitors USING INDEX sqlite_autoindex_visitors_1 \(id=\?\)/)]);
    expect(file.prepare(byIds).all(['acme', ...ids])).toHaveLength(7);
    expect((file.prepare("select count(*) as n from sqlite_stat1 where tbl = 'visitors'").get() as { n: number }).n).toBeGreaterThan(0);
    expect((file.prepare('select count(*) as n from sqlite_stat4').get() as { n: number }).n).toBe(0);
  });
});
