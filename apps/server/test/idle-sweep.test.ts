import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVisitor, seedApp, startTestServer, STORAGES, type TestServer } from './helpers.ts';

/**
 * The idle sweep's read (idle end, SPEC M11): the open conversations silent since before a time, in
 * pages, the longest silent first. Pages meet on conversations silent since the same moment, and
 * closed conversations, those with a message left and the recently active ones are never read.
 */
describe.each(STORAGES)('idle sweep candidates (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('pages through every silent open conversation once, the longest silent first', async () => {
    const appId = `idle-${kind}`;
    await seedApp(server, appId);
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push((await newVisitor(server, appId)).conversationId);
    // In id order: in the first minute the later id (ids[4]) was silent longer, so time, not id, orders a minute's rows.
    ids.sort();
    const { db } = server.app.storage;
    // The times as the server would keep them: the minute of the last activity too (what the sweep's index holds).
    const set = async (id: string, values: { created_at?: number; last_visitor_message_at?: number | null; status?: string; message_left_at?: number | null }) => {
      await db.updateTable('conversations').set(values).where('id', '=', id).execute();
      await db.updateTable('conversations').set({ last_activity_minute: sql<number>`coalesce(last_visitor_message_at, created_at) / 60000` }).where('id', '=', id).execute();
    };
    // Seconds 0–400: the pages cross from one minute to the next, and rows of one minute come in time order.
    const s = 20;
    const before = 10_000 * s;
    // Silent since: the visitor's last message, else the conversation's start.
    await set(ids[0]!, { created_at: 1_000 * s, last_visitor_message_at: 5_000 * s });
    await set(ids[1]!, { created_at: 2_000 * s, last_visitor_message_at: null });
    await set(ids[2]!, { created_at: 3_000 * s, last_visitor_message_at: 5_000 * s });
    await set(ids[3]!, { created_at: 5_000 * s, last_visitor_message_at: null });
    await set(ids[4]!, { created_at: 100 * s, last_visitor_message_at: 700 * s });
    // Not candidates: active since, closed, a message left.
    await set(ids[5]!, { created_at: 1_000 * s, last_visitor_message_at: before });
    await set(ids[6]!, { created_at: 20_000 * s, last_visitor_message_at: null });
    await set(ids[7]!, { created_at: 1_000 * s, last_visitor_message_at: 2_000 * s, status: 'closed' });
    await set(ids[8]!, { created_at: 1_000 * s, last_visitor_message_at: 2_000 * s, message_left_at: 3_000 * s });

    const read: { id: string; lastActivityAt: number }[] = [];
    let pages = 0;
    for (let after: { id: string; lastActivityAt: number } | undefined; ; ) {
      const page = await server.app.services.conversations.idleConversations(before, after, 2);
      pages += 1;
      read.push(...page.map(({ id, lastActivityAt }) => ({ id, lastActivityAt })));
      if (page.length < 2) break;
      after = page.at(-1)!;
    }
    const sameMoment = [ids[0]!, ids[2]!, ids[3]!].sort();
    expect(read).toEqual([
      { id: ids[4]!, lastActivityAt: 700 * s },
      { id: ids[1]!, lastActivityAt: 2_000 * s },
      ...sameMoment.map((id) => ({ id, lastActivityAt: 5_000 * s })),
    ]);
    expect(pages).toBe(3);
  });

  it("reads from the shortest idle time of a channel with idle end on, in any app; nothing when none has it on", async () => {
    const { channels } = server.app.services;
    const off = async () => {
      for (const appId of [`short-a-${kind}`, `short-b-${kind}`, `idle-${kind}`]) {
        for (const channel of await channels.listChannels(appId)) await channels.updateChannel(appId, channel.id, { idleEnd: { enabled: false } });
      }
    };
    await seedApp(server, `short-a-${kind}`);
    await seedApp(server, `short-b-${kind}`);
    await off();
    expect(await channels.shortestIdleEndMinutes()).toBeUndefined();
    const [a] = await channels.listChannels(`short-a-${kind}`);
    const [b] = await channels.listChannels(`short-b-${kind}`);
    await channels.updateChannel(`short-a-${kind}`, a!.id, { idleEnd: { enabled: true, minutes: 30 } });
    expect(await channels.shortestIdleEndMinutes()).toBe(30);
    await channels.updateChannel(`short-b-${kind}`, b!.id, { idleEnd: { enabled: true, minutes: 7 } });
    const extra = await channels.createChannel(`short-a-${kind}`, { name: 'second', idleEnd: { enabled: false, minutes: 2 } });
    expect(await channels.shortestIdleEndMinutes()).toBe(7);
    await channels.updateChannel(`short-a-${kind}`, extra.id, { idleEnd: { enabled: true } });
    expect(await channels.shortestIdleEndMinutes()).toBe(2);
  });
});
