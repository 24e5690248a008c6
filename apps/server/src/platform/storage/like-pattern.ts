/**
 * The LIKE pattern of "holds `text`", lowercased (compare it with `lower(column)`, or use it where
 * case does not matter). NOTE: LIKE's wildcards (and its escape) are dropped from the text, not
 * escaped: SQLite and PostgreSQL escape differently. `'%%'` when nothing is left to look for.
 */
export function containsPattern(text: string): string {
  return `%${text.trim().toLowerCase().replace(/[\\%_]/g, '')}%`;
}
