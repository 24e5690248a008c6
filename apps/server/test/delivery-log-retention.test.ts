import { describe, expect, it } from 'vitest';
import { pruneDeliveryLog } from '../src/modules/webhooks/retention.ts';
import { PRUNE_BATCH, PRUNE_INTERVAL_MS } from '../src/platform/pruning.ts';
import { api, newVisitor, STORAGES } from './helpers.ts';
import { webhookBed } from './webhook-bed.ts';

/**
 * Retention of the delivery log: finished deliveries (and their attempts) older than
 * FRONTDESK_DELIVERY_LOG_RETENTION_DAYS are deleted by the hourly pruning, then the outbox events
 * no delivery refers to; an open delivery keeps itself and its event however old. Real server,
 * injected clock, loopback receivers.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 0, 5, 10, 0);

describe.each(STORAGES)('delivery log retention (%s)', (kind) => {
  const bed = webhookBed(kind, START);

  it('prunes finished deliveries and data pushes after the retention days, keeps open ones, their events and the CDRs', async () => {
    const { clock, server, key, hooks } = await bed.start({ FRONTDESK_DELIVERY_LOG_RETENTION_DAYS: '30' });
    const [up, down, push] = await Promise.all([bed.receiver(), bed.receiver(), bed.receiver()]);
    down.respond = () => ({ status: 500 });
    push.respond = () => ({ status: 200, body: '{"ErrCode":0}' });
    expect((await api(server.url, 'PUT', '/v1/data-push', { token: key, body: { url: push.url } })).status).toBe(200);
    for (const r of [up, down]) {
      const res = await api(server.url, 'POST', '/v1/webhooks/subscriptions', { token: key, body: { url: r.url, eventTypes: ['conversation.rated'] } });
      expect(res.status).toBe(201);
    }
    const { db } = server.app.storage;
    // Deliveries and data pushes are jobs (platform/jobs) of their kinds, their attempts job attempts.
    const kinds = { webhook_deliveries: 'webhooks.delivery', cdr_pushes: 'reports.data-push' } as const;
    const attemptsOf = { webhook_attempts: 'webhooks.delivery', cdr_push_attempts: 'reports.data-push' } as const;
    type Counted = keyof typeof kinds | keyof typeof attemptsOf | 'outbox_events' | 'cdrs';
    const jobsOf = (kind: string) => db.selectFrom('jobs').select('id').where('kind', '=', kind);
    const count = async (table: Counted) => {
      const query =
        table === 'outbox_events' || table === 'cdrs'
          ? db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
          : table in kinds
            ? db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kinds[table as keyof typeof kinds])
            : db.selectFrom('job_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', 'in', jobsOf(attemptsOf[table as keyof typeof attemptsOf]));
      return Number((await query.executeTakeFirstOrThrow()).n);
    };

    await hooks.enqueue([{ appId: 'acme', type: 'conversation.rated', data: { n: 1 } }]);
    await hooks.webhooks.runOnce();
    expect(up.hits).toHaveLength(1);
    expect(await count('webhook_deliveries')).toBe(2);
    const eventsBefore = await count('outbox_events');
    // A conversation that ended: its CDR is pushed once and delivered.
    const visitor = await newVisitor(server, 'acme');
    expect((await api(server.url, 'POST', `/v1/conversations/${visitor.conversationId}/close`, { token: visitor.token })).status).toBe(200);
    await server.app.services.reports.runOnce();
    expect(push.hits).toHaveLength(1);
    expect([await count('cdrs'), await count('cdr_pushes'), await count('cdr_push_attempts')]).toEqual([1, 1, 1]);

    // Pruning runs on the hour, on the injected clock, and re-arms once a run has finished (real time).
    const nextPruningHour = async () => {
      await new Promise((r) => setTimeout(r, 200));
      clock.advance(PRUNE_INTERVAL_MS);
      await new Promise((r) => setTimeout(r, 200));
    };
    // Day 29: nothing is old enough.
    clock.advance(29 * DAY_MS);
    await nextPruningHour();
    expect(await count('webhook_deliveries')).toBe(2);
    expect(await count('cdr_pushes')).toBe(1);

    // Day 31: the delivered one goes with its attempt, the failing one stays, and so does its event.
    clock.advance(2 * DAY_MS);
    await nextPruningHour();
    await expect.poll(() => count('webhook_deliveries'), { timeout: 5000 }).toBe(1);
    const [open] = await db.selectFrom('jobs').select(['group_key as subscription_id', 'status']).where('kind', '=', kinds.webhook_deliveries).execute();
    // A delivery that failed and will be retried: its job is retrying (shown as failed in the log).
    expect(open!.status).toBe('retrying');
    expect(await count('webhook_attempts')).toBeGreaterThanOrEqual(1);
    expect(await count('outbox_events')).toBe(eventsBefore);
    const log = await api(server.url, 'GET', '/v1/webhooks/deliveries?limit=100', { token: key });
    expect(log.body.deliveries.map((d: any) => d.status)).toEqual(['failed']);
    // The delivered push and its attempt are gone; the CDR stays for reconciliation.
    await expect.poll(() => count('cdr_pushes'), { timeout: 5000 }).toBe(0);
    expect([await count('cdr_push_attempts'), await count('cdrs')]).toEqual([0, 1]);
  });

  it('deletes a backlog of events past retention in several batches, and none newer', async () => {
    const { server } = await bed.start({});
    const { storage } = server.app;
    const old = PRUNE_BATCH * 2 + 500;
    const at = (i: number) => START - 40 * DAY_MS + i;
    const rows = Array.from({ length: old + 10 }, (_, i) => ({
      id: `evt_backlog_${String(i).padStart(5, '0')}`,
      app_id: 'acme',
      type: 'conversation.rated',
      ordering_key: null,
      data: '{}',
      // The last ten within retention.
      created_at: i < old ? at(i) : START,
      position: 1_000_000 + i,
      fanned_out_at: i < old ? at(i) : START,
    }));
    for (let i = 0; i < rows.length; i += 500) await storage.db.insertInto('outbox_events').values(rows.slice(i, i + 500)).execute();
    const counts = await pruneDeliveryLog(storage, START - 30 * DAY_MS);
    expect(counts.events).toBe(old);
    const left = await storage.db.selectFrom('outbox_events').select('id').where('id', 'like', 'evt_backlog_%').orderBy('id').execute();
    expect(left.map((r) => r.id)).toEqual(rows.slice(old).map((r) => r.id));
  });
});
