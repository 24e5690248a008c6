import type { z } from 'zod';

/**
 * Text the server accepts: no NUL character and no lone UTF-16 surrogate, in any string field of a
 * REST request or a frame. PostgreSQL refuses NUL in text (a 500 otherwise) and turns a lone
 * surrogate into U+FFFD, so two different client ids could collide there; SQLite would store both
 * as given. One refinement, applied at the edges (the HTTP validator and `ClientFrame`).
 */
const ILL_FORMED_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper than any request of the protocol: what lies below is refused as a whole. */
const MAX_DEPTH = 32;

export const ILL_FORMED_TEXT_MESSAGE = 'text must not contain NUL characters or lone surrogates';

export function isWellFormedText(text: string): boolean {
  return !ILL_FORMED_TEXT.test(text);
}

/** The path of the first string (value or object key) that is not well-formed text, if any. */
export function illFormedTextPath(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  if (path.length >= MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedTextPath(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isWellFormedText(key)) return [...path, key];
    const found = illFormedTextPath(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** The shared refinement: `schema.superRefine(refineWellFormedText)` refuses ill-formed text anywhere in the value. */
export function refineWellFormedText(value: unknown, ctx: z.RefinementCtx): void {
  const path = illFormedTextPath(value);
  if (path) ctx.addIssue({ code: 'custom', path, message: ILL_FORMED_TEXT_MESSAGE, input: value });
}
