import { describe, expect, it } from 'vitest';
import { AUTH_STRINGS } from '../modules/auth/locales/index.ts';
import { CANNED_STRINGS } from '../modules/canned/locales/index.ts';
import { CONVERSATION_STRINGS } from '../modules/conversation/locales/index.ts';
import { HISTORY_STRINGS } from '../modules/history/locales/index.ts';
import { INBOX_STRINGS } from '../modules/inbox/locales/index.ts';
import { OFFER_STRINGS } from '../modules/offers/locales/index.ts';
import { SHELL_STRINGS } from '../modules/shell/locales/index.ts';
import { STATUS_STRINGS } from '../modules/status/locales/index.ts';

/** Every string of a table, by its path (`roles.offered`). */
function flatten(table: object, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(table).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value]] : Object.entries(flatten(value as object, `${prefix}${key}.`)))),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const CATALOGUES = { auth: AUTH_STRINGS, canned: CANNED_STRINGS, conversation: CONVERSATION_STRINGS, history: HISTORY_STRINGS, inbox: INBOX_STRINGS, offers: OFFER_STRINGS, shell: SHELL_STRINGS, status: STATUS_STRINGS };

describe('the workbench catalogues of the screens an agent sees all day', () => {
  for (const [name, table] of Object.entries(CATALOGUES)) {
    it(`${name}: Chinese says every English string, with the same placeholders, in Chinese`, () => {
      const en = flatten(table.en);
      const zh = flatten(table.zh);
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        expect(zh[key], key).not.toBe('');
        expect(placeholders(zh[key]!), key).toEqual(placeholders(text));
        // NOTE: a Chinese string with words but no Chinese in it is an English one left behind.
        if (/[A-Za-z]/.test(zh[key]!.replace(/\{\w+\}/g, ''))) expect(zh[key], key).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }
});
