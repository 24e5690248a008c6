/** Small display helpers shared by the screens. All return plain strings (rendered as text). */

// NOTE: one formatter each, made once: `toLocaleTimeString` builds a new Intl formatter per call,
// which costs milliseconds per message row (measured with bench/workbench).
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatClock(ms: number): string {
  return clockFormat.format(ms);
}

export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(ms);
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

/** A short label for a visitor: their name, else (anonymous visitors are all "Visitor") the tail of their id. */
export function visitorLabel(visitorId: string, name?: string | null, formName?: string | null): string {
  const trimmed = name?.trim();
  if (trimmed && trimmed !== 'Visitor') return trimmed;
  // The name typed in a widget form (pre-chat, leave-a-message) when the visitor has none of its own.
  return formName?.trim() || `Visitor ${visitorId.slice(-4)}`;
}
