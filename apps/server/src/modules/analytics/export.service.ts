import type { Readable } from 'node:stream';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { CALL_COLUMNS, callRecord, CONVERSATION_COLUMNS, conversationRecord, localTimeFormatter, type ExportKind, type ExportNames, type ExportValue } from './export-rows.ts';
import { CONTENT_TYPES, exportStream, type ExportFormat } from './export-stream.ts';
import { channelMatch } from './channel-metrics.ts';
import { reportRangeOf } from './report-range.ts';

export interface ExportQuery {
  from: string;
  to: string;
  tz: string;
  kind: ExportKind;
  format: ExportFormat;
  queueId?: string | undefined;
  agentId?: string | undefined;
  channelId?: string | undefined;
}

/** Rows read per page: small enough to keep memory flat, large enough that a page is one index range scan. */
const PAGE_ROWS = 2000;

/**
 * Exports of the read model: one row per conversation or call of the range, streamed page by page
 * (keyset pagination on the time index), so an export of a million rows holds one page at a time.
 */
export function createExports(deps: { storage: Storage; log: Logger; namesOf: (appId: string) => Promise<ExportNames>; publicUrl: string }) {
  const { db } = deps.storage;
  const transcriptUrl = (conversationId: string) => `${deps.publicUrl.replace(/\/$/, '')}/v1/conversations/${encodeURIComponent(conversationId)}/messages`;

  /** One page of conversations after `after` (keyset on the (app_id, arrived_at, conversation_id) index), with each one's rating. */
  function conversationPage(appId: string, q: ExportQuery, fromMs: number, toMs: number, after: { at: number; id: string } | null) {
    // NOTE: one lower bound only, the page's position (never below `fromMs`): given two (`>= from`
    // and `>= position`), SQLite starts the index range at the first and filters the rest, so each
    // page re-read every row before it and an export of a million rows slowed down page by page.
    const lowerBound: number = after ? after.at : fromMs;
    let query = db
      .selectFrom('report_conversations as c')
      .selectAll('c')
      // NOTE: the rating by its key, per row (a primary-key lookup), not a join: joined, PostgreSQL
      // may hash the whole ratings table for every page; a second query per page was a round trip more.
      .select((eb) => eb.selectFrom('report_ratings as r').select('r.stars').whereRef('r.conversation_id', '=', 'c.conversation_id').as('stars'))
      .where('c.app_id', '=', appId)
      .where('c.arrived_at', '>=', lowerBound)
      .where('c.arrived_at', '<', toMs);
    if (after) {
      const { at, id } = after;
      // The rows of the page's last instant already sent are dropped.
      query = query.where((eb) => eb.or([eb('c.arrived_at', '>', at), eb('c.conversation_id', '>', id)]));
    }
    if (q.queueId) query = query.where('c.queue_id', '=', q.queueId);
    if (q.channelId) query = query.where(channelMatch('c.channel_id', q.channelId));
    if (q.agentId) query = query.where('c.agent_ids', 'like', `%"${q.agentId.replace(/[%_"\\]/g, '')}"%`);
    return query.orderBy('c.arrived_at').orderBy('c.conversation_id').limit(PAGE_ROWS).execute();
  }

  async function* conversationPages(appId: string, q: ExportQuery, fromMs: number, toMs: number, names: ExportNames): AsyncGenerator<ExportValue[][]> {
    const time = localTimeFormatter(q.tz);
    let next: ReturnType<typeof conversationPage> | null = conversationPage(appId, q, fromMs, toMs, null);
    try {
      while (next) {
        const rows: Awaited<ReturnType<typeof conversationPage>> = await next;
        if (rows.length === 0) return;
        const last = rows.at(-1)!;
        // NOTE: the next page is read while this one is turned into records and written: the
        // database's time and ours overlap. At most two pages are held, so memory stays flat.
        next = rows.length < PAGE_ROWS ? null : conversationPage(appId, q, fromMs, toMs, { at: last.arrived_at, id: last.conversation_id });
        yield rows.map((r) => conversationRecord({ ...r, stars: r.stars ?? null }, names, time, transcriptUrl));
      }
    } finally {
      // A client that went away leaves a read in flight: its result (or error) is dropped.
      next?.catch(() => undefined);
    }
  }

  async function* callPages(appId: string, q: ExportQuery, fromMs: number, toMs: number, names: ExportNames): AsyncGenerator<ExportValue[][]> {
    const time = localTimeFormatter(q.tz);
    let after: { at: number; id: string } | null = null;
    for (;;) {
      const lowerBound: number = after ? after.at : fromMs;
      let query = db.selectFrom('report_calls').selectAll().where('app_id', '=', appId).where('started_at', '>=', lowerBound).where('started_at', '<', toMs);
      if (after) {
        const { at, id } = after;
        query = query.where((eb) => eb.or([eb('started_at', '>', at), eb('call_id', '>', id)]));
      }
      if (q.queueId) query = query.where('queue_id', '=', q.queueId);
      if (q.agentId) query = query.where('agent_id', '=', q.agentId);
      const rows = await query.orderBy('started_at').orderBy('call_id').limit(PAGE_ROWS).execute();
      if (rows.length === 0) return;
      yield rows.map((r) => callRecord(r, names, time, transcriptUrl));
      const last = rows.at(-1)!;
      after = { at: last.started_at, id: last.call_id };
      if (rows.length < PAGE_ROWS) return;
    }
  }

  return {
    /** The export's file name, content type and body stream; the range and zone are checked first (FD_REPORT_* errors). */
    async exportRows(appId: string, q: ExportQuery): Promise<{ fileName: string; contentType: string; body: Readable }> {
      const range = reportRangeOf({ ...q, interval: 'day' });
      const names = await deps.namesOf(appId);
      const pages = q.kind === 'conversations' ? conversationPages(appId, q, range.fromMs, range.toMs, names) : callPages(appId, q, range.fromMs, range.toMs, names);
      const columns = q.kind === 'conversations' ? CONVERSATION_COLUMNS : CALL_COLUMNS;
      const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      return {
        fileName: `${q.kind}-${stamp(range.fromMs)}-${stamp(range.toMs)}.${q.format}`,
        contentType: CONTENT_TYPES[q.format],
        body: exportStream(q.format, q.kind, columns, pages, (err) => deps.log.error({ err: { message: (err as Error).message } }, 'export failed while streaming')),
      };
    },
  };
}

export type Exports = ReturnType<typeof createExports>;
