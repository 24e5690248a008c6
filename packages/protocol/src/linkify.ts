/** A piece of message text: plain, or a link the panel may render as <a href>. */
export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

/**
 * Only absolute http(s) URLs are links. Anything else (javascript:, data:, bare domains, HTML)
 * stays text. Trailing punctuation is left out of the link, and a closing bracket only belongs
 * to it when the URL opened one.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`\u0000-\u001f\u007f-\u009f\u00a0\u2000-\u200f\u2028-\u202f\u3000]+/gi;
const TRAILING = /[.,;:!?'"»”’。，；：！？、)\]}）】]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate)?.[0] ?? '';
    candidate = candidate.slice(0, candidate.length - trailing.length);
    // Give back closing brackets the URL itself opened: "(see https://x.test/a_(b))".
    let rest = trailing;
    for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
      while (rest.startsWith(close) && count(candidate, open) > count(candidate, close)) {
        candidate += close;
        rest = rest.slice(1);
      }
    }
    const href = safeHref(candidate);
    if (!href) continue;
    const start = match.index!;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** The URL, normalised, if it parses as http(s) with a host and no credentials; else undefined. */
export function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}
