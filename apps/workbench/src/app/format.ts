/** Small display helpers shared by the screens. All return plain strings (rendered as text). */
import { format, stringsOf, workbenchLocaleTag } from './locale.ts';

// NOTE: one formatter each, made once: `toLocaleTimeString` builds a new Intl formatter per call,
// which costs milliseconds per message row (measured with bench/workbench). Dates follow the
// workbench's language (the agent's choice), not the browser's.
let formats: { clock: Intl.DateTimeFormat; time: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat } | undefined;
function dateFormats() {
  if (!formats) {
    const tag = workbenchLocaleTag();
    formats = {
      clock: new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit' }),
      time: new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
      dateTime: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }),
    };
  }
  return formats;
}

/** A time of day, to the minute. */
export function formatClock(ms: number): string {
  return dateFormats().clock.format(ms);
}

/** A time of day, to the second. */
export function formatTime(ms: number): string {
  return dateFormats().time.format(ms);
}

export function formatDateTime(ms: number): string {
  return dateFormats().dateTime.format(ms);
}

/** 75 → "1:15"; 3725 → "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The name the chat knows a visitor by: their own (anonymous visitors are all "Visitor"), else the
 * one typed in a widget form (pre-chat, leave-a-message); null when neither.
 */
export function visitorOwnName(name?: string | null, formName?: string | null): string | null {
  const trimmed = name?.trim();
  if (trimmed && trimmed !== 'Visitor') return trimmed;
  return formName?.trim() || null;
}

/** A short label for a visitor: the name the chat knows them by, else the tail of their id. */
export function visitorLabel(visitorId: string, name?: string | null, formName?: string | null): string {
  return visitorOwnName(name, formName) ?? format(stringsOf(ANONYMOUS_VISITOR), { tail: visitorId.slice(-4) });
}

/** An anonymous visitor, by the tail of their id. */
const ANONYMOUS_VISITOR = { en: 'Visitor {tail}', zh: '访客 {tail}' };
