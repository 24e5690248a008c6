import type { CannedResponse } from '@frontdesk/sdk-agent';

/**
 * The canned-response query being typed: the word starting with `/` that ends at the caret,
 * at the start of the text or after a space ("/ref" → "ref"). null when there is none.
 */
export function shortcutQueryAt(text: string, caret: number): { query: string; start: number } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([\w-]*)$/.exec(before);
  if (!match) return null;
  return { query: match[2]!, start: before.length - match[2]!.length - 1 };
}

/** Replaces the `/query` at `start` (up to the caret) with the response's text. */
export function insertCannedResponse(text: string, caret: number, start: number, response: CannedResponse): { text: string; caret: number } {
  const next = text.slice(0, start) + response.text + text.slice(caret);
  return { text: next, caret: start + response.text.length };
}

/** Shortcut prefix matches first, then title or text matches; case-insensitive. */
export function filterCannedResponses(responses: readonly CannedResponse[], query: string): CannedResponse[] {
  const q = query.toLowerCase();
  if (!q) return [...responses];
  const byShortcut = responses.filter((r) => r.shortcut.toLowerCase().startsWith(q));
  const byContent = responses.filter((r) => !byShortcut.includes(r) && (r.title.toLowerCase().includes(q) || r.text.toLowerCase().includes(q)));
  return [...byShortcut, ...byContent];
}
