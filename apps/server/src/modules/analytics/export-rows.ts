import type { Database } from '../../platform/storage/schema.ts';
import { offsetMsAt } from './time-buckets.ts';

/**
 * The pure part of exports: one read-model row in, one flat record out (the same columns in CSV
 * and XLSX), and the CSV encoding. Times are local ISO 8601 with the offset of `tz`; durations are
 * whole seconds.
 */

export const EXPORT_KINDS = ['conversations', 'calls'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportValue = string | number | null;

export interface ExportNames {
  queues: ReadonlyMap<string, string>;
  agents: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
}

export const CONVERSATION_COLUMNS = [
  'conversation_id',
  'channel',
  'queue',
  'agents',
  'first_agent',
  'last_agent',
  'arrived_at',
  'queued_at',
  'answered_at',
  'ended_at',
  'wait_seconds',
  'handle_seconds',
  'first_response_seconds',
  'transfers',
  'outcome',
  'closed_by',
  'visitor_messages',
  'agent_messages',
  'bot_messages',
  'csat',
  'transcript_url',
] as const;

export const CALL_COLUMNS = ['call_id', 'conversation_id', 'kind', 'queue', 'agent', 'started_at', 'accepted_at', 'ended_at', 'duration_seconds', 'end_status', 'transcript_url'] as const;

/** Formats instants of one zone fast: the offset is looked up once per hour (offsets change on hour bounds or half hours; a 15-minute key is safe everywhere). */
export function localTimeFormatter(tz: string): (atMs: number | null) => string {
  const offsets = new Map<number, number>();
  return (atMs) => {
    if (atMs === null) return '';
    const key = Math.floor(atMs / 900_000);
    let offset = offsets.get(key);
    if (offset === undefined) {
      if (offsets.size > 10_000) offsets.clear();
      offset = offsetMsAt(tz, atMs);
      offsets.set(key, offset);
    }
    const minutes = Math.round(Math.abs(offset) / 60_000);
    const sign = offset < 0 ? '-' : '+';
    const zone = offset === 0 ? 'Z' : `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return `${new Date(atMs + offset).toISOString().slice(0, 19)}${zone}`;
  };
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
const nameOf = (map: ReadonlyMap<string, string>, id: string | null) => (id === null ? '' : (map.get(id) ?? id));

export type ConversationExportRow = Database['report_conversations'] & { stars: number | null };

export function conversationRecord(r: ConversationExportRow, names: ExportNames, time: (atMs: number | null) => string, transcriptUrl: (conversationId: string) => string): ExportValue[] {
  const agentIds = JSON.parse(r.agent_ids) as string[];
  return [
    r.conversation_id,
    nameOf(names.channels, r.channel_id),
    nameOf(names.queues, r.queue_id),
    agentIds.map((id) => nameOf(names.agents, id)).join('; '),
    nameOf(names.agents, r.first_agent_id),
    nameOf(names.agents, r.last_agent_id),
    time(r.arrived_at),
    time(r.queued_at),
    time(r.answered_at),
    time(r.ended_at),
    seconds(r.wait_ms),
    seconds(r.handle_ms),
    seconds(r.first_response_ms),
    r.transfers,
    r.outcome,
    r.close_by ?? '',
    r.visitor_messages,
    r.agent_messages,
    r.bot_messages,
    r.stars,
    transcriptUrl(r.conversation_id),
  ];
}

export function callRecord(r: Database['report_calls'], names: ExportNames, time: (atMs: number | null) => string, transcriptUrl: (conversationId: string) => string): ExportValue[] {
  return [r.call_id, r.conversation_id, r.kind, nameOf(names.queues, r.queue_id), nameOf(names.agents, r.agent_id), time(r.started_at), time(r.accepted_at), time(r.ended_at), seconds(r.duration_ms), r.end_status, transcriptUrl(r.conversation_id)];
}

/**
 * One CSV line (RFC 4180, CRLF). NOTE: a text cell that starts with = + - @ (or a tab or CR) is
 * prefixed with ' so a spreadsheet never runs it as a formula (names are typed by users).
 */
export function csvLine(values: readonly ExportValue[]): string {
  // NOTE: one concatenation per line, no intermediate arrays: at a million rows of 21 cells this
  // loop is a large share of an export's time.
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (i > 0) line += ',';
    if (value === null) continue;
    line += typeof value === 'number' ? String(value) : csvText(value);
  }
  return `${line}\r\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** = + - @ tab CR: the first characters a spreadsheet may run as a formula. */
function startsLikeFormula(value: string): boolean {
  const c = value.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

function csvText(value: string): string {
  const text = startsLikeFormula(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same guard for XLSX text cells. */
export const xlsxCell = (value: ExportValue): ExportValue => (typeof value === 'string' && startsLikeFormula(value) ? `'${value}` : value);
