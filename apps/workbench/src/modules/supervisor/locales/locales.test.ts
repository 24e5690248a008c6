import { describe, expect, it } from 'vitest';
import { SUPERVISION_STRINGS } from './index.ts';

/** Every string of a table, by its path (`stepModes.monitor`). */
function flatten(table: object, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(table).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value]] : Object.entries(flatten(value as object, `${prefix}${key}.`)))),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('supervision strings', () => {
  it('Chinese says every English string, with the same placeholders', () => {
    const en = flatten(SUPERVISION_STRINGS.en);
    const zh = flatten(SUPERVISION_STRINGS.zh);
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect(zh[key], key).not.toBe('');
      expect(placeholders(zh[key]!), key).toEqual(placeholders(text));
    }
  });
});
