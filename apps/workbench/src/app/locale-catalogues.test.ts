import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_STRINGS } from '../modules/admin/locales/index.ts';
import { AGENT_ADMIN_STRINGS } from '../modules/admin-agents/locales/index.ts';
import { CHANNEL_ADMIN_STRINGS } from '../modules/admin-channels/locales/index.ts';
import { QUEUE_STRINGS } from '../modules/admin-queues/locales/index.ts';
import { REPORT_STRINGS } from '../modules/reports/locales/index.ts';
import { AVATAR_STRINGS } from '../modules/avatar/locales/index.ts';
import { CALL_STRINGS } from '../modules/calls/locales/index.ts';
import { COBROWSE_STRINGS } from '../modules/cobrowse/locales/index.ts';
import { CONTACT_STRINGS } from '../modules/contacts/locales/index.ts';
import { NOTIFICATION_STRINGS } from '../modules/notifications/locales/index.ts';
import { SHORTCUT_STRINGS } from '../modules/shortcuts/locales/index.ts';
import { SUPERVISION_STRINGS } from '../modules/supervisor/locales/index.ts';
import { WRAP_UP_STRINGS } from '../modules/wrap-up/locales/index.ts';
import { AUTH_STRINGS } from '../modules/auth/locales/index.ts';
import { CANNED_STRINGS } from '../modules/canned/locales/index.ts';
import { CONVERSATION_STRINGS } from '../modules/conversation/locales/index.ts';
import { HISTORY_STRINGS } from '../modules/history/locales/index.ts';
import { INBOX_STRINGS } from '../modules/inbox/locales/index.ts';
import { OFFER_STRINGS } from '../modules/offers/locales/index.ts';
import { SHELL_STRINGS } from '../modules/shell/locales/index.ts';
import { STATUS_STRINGS } from '../modules/status/locales/index.ts';
import { UI_STRINGS } from '../ui/locales/index.ts';

/** Every string of a table, by its path (`roles.offered`). */
function flatten(table: object, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(table).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value]] : Object.entries(flatten(value as object, `${prefix}${key}.`)))),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const CATALOGUES = {
  auth: AUTH_STRINGS, canned: CANNED_STRINGS, conversation: CONVERSATION_STRINGS, history: HISTORY_STRINGS, inbox: INBOX_STRINGS, offers: OFFER_STRINGS, shell: SHELL_STRINGS, status: STATUS_STRINGS,
  avatar: AVATAR_STRINGS, calls: CALL_STRINGS, cobrowse: COBROWSE_STRINGS, contacts: CONTACT_STRINGS, notifications: NOTIFICATION_STRINGS, shortcuts: SHORTCUT_STRINGS, supervision: SUPERVISION_STRINGS, 'wrap-up': WRAP_UP_STRINGS,
  admin: ADMIN_STRINGS, 'admin-agents': AGENT_ADMIN_STRINGS, 'admin-channels': CHANNEL_ADMIN_STRINGS, 'admin-queues': QUEUE_STRINGS,
  reports: REPORT_STRINGS, ui: UI_STRINGS,
};

describe('the workbench catalogues, of every screen', () => {
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
      // Internal SPEC ids ("Bot (M10)", "Overflow (M16)") mean nothing to a user.
      for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) expect(text, key).not.toMatch(/\bM\d{1,2}\b/);
    });
  }
});

/**
 * Words shown to the user, written in a component instead of read from its catalogue: JSX text (also
 * beside an expression: `>Note · {time}<`, `{n} ratings<`, and on a line of its own), the text
 * attributes of controls (label, hint, title, caption, empty, placeholder, aria-label), table headers,
 * and words in a JSX expression (`{'Loading…'}`, `{x ? 'None' : …}`, `` {`${n} ratings`} ``).
 * A string with no letter (`—`, `0–100`) is no word; comments and `<code>` are not read.
 */
function wordsLeftIn(file: string): string[] {
  const source = file.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const text = /[^<>{}\n;=()]*[A-Za-z][^<>{}\n;=()]*/.source;
  // NOTE: beside an expression, quotes and `?` mean code (`x > 1 ? a : b`, `'Enter'`), not JSX text.
  const textBesideCode = /[^<>{}\n;=()'"`?]*[A-Za-z][^<>{}\n;=()'"`?]*/.source;
  const jsxText = new RegExp(`(?<![=-]|<code)>\\s*(${text})<|(?<![=-]|<code)>\\s*(${textBesideCode})\\{|\\}(${textBesideCode})<`, 'g');
  const found = [
    ...[...source.matchAll(jsxText)].map((m) => (m[1] ?? m[2] ?? m[3]!).trim()).filter((words) => !/^(?:as|[:&|])\s*\w+$/.test(words)),
    ...[...source.matchAll(/\b(?:label|hint|title|caption|empty|placeholder|aria-label|note)=(?:"([^"]*)"|\{'([^']*)'\}|\{`([^`]*)`\})/g)].map((m) => m[1] ?? m[2] ?? m[3]!),
    ...[...source.matchAll(/\b(?:header|message|notice|label|title|empty):\s*(?:'([^']*)'|`([^`]*)`)/g)].map((m) => m[1] ?? m[2]!),
    ...jsxExpressionWords(source),
  ];
  return found.filter((words) => /[A-Za-z]{2}/.test(words.replace(/\$\{[^}]*\}/g, '')) && !/&&|\|\|/.test(words) && !AS_THEY_ARE.includes(words));
}

/**
 * Quoted words inside the `{…}` of JSX (children and attributes): `{isLoading ? 'Loading…' : …}`,
 * `label={open ? 'Hide' : 'Show'}`. NOTE: class names, ids, routes and enum values are quoted too;
 * only a Capitalised word or two plain words in a row (a phrase) count; `fd-a fd-a--b` does not.
 */
function jsxExpressionWords(source: string): string[] {
  const words: string[] = [];
  for (const block of source.matchAll(/(?:>|=)\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g)) {
    // NOTE: a string compared with (`e.key === 'Enter'`) is a value, not a word shown.
    for (const m of block[1]!.matchAll(/(?<![=!]==?\s*)(?:'([^'\n]*)'|`([^`\n]*)`)/g)) {
      const text = (m[1] ?? m[2]!).replace(/\$\{[^}]*\}/g, '');
      const tokens = text.trim().split(/\s+/);
      const isPhrase = tokens.some((word, i) => /^[A-Za-z]{2,}$/.test(word) && /^[A-Za-z]{2,}[.,:…!?]?$/.test(tokens[i + 1] ?? ''));
      if (/^[A-Z][a-z]+(?:[\s.,:…!?]|$)/.test(text) || isPhrase) words.push(m[1] ?? m[2]!);
    }
  }
  return words;
}

/** Names that stay as they are in every language: brands, and a language's own name in the language menu. */
const AS_THEY_ARE = ['Frontdesk', 'WhatsApp', 'Messenger', 'Telegram', 'Viber', 'English'];

/**
 * Each .tsx file under a folder and, with `withState`, its state files (.ts) too: the reports' state
 * builds what the charts show (titles, units, series). NOTE: the admin state files keep English
 * defaults of their pure checks (the screens pass the catalogue's words), so they are not read.
 */
function componentsUnder(dir: string, withState = false): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && (e.name.endsWith('.tsx') || (withState && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && path.basename(e.parentPath) === 'state')))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('every screen of the workbench speaks Chinese too', () => {
  const modules = path.resolve(import.meta.dirname, '../modules');
  // NOTE: the sample page of "Try it" stands for the business's own site (in English, as theirs would be).
  const SAMPLE_PAGE = /simulatorPage[\s\S]*?\n}\n/;
  const folders = fs.readdirSync(modules, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(modules, e.name));
  for (const folder of [...folders, path.resolve(import.meta.dirname, '../ui'), import.meta.dirname]) {
    it(`${path.relative(path.dirname(modules), folder) || 'app'}: every word on screen comes from a catalogue`, () => {
      const left = componentsUnder(folder, path.basename(folder) === 'reports').flatMap((file) => wordsLeftIn(fs.readFileSync(file, 'utf8').replace(SAMPLE_PAGE, '')).map((text) => `${path.basename(file)}: ${text}`));
      expect(left).toEqual([]);
    });
  }

  it('the check finds words written in a component', () => {
    const component = `<p>Transfer note · {time}</p><span>{n} ratings</span><label>
        Template{' '}<select /></label><Field label="Name" /><Badge>{isOpen ? 'Open now' : t.closed}</Badge>
      toast({ message: \`Not sent: \${error}\`, tone: 'danger' }); setPhase({ notice: 'You are signed out.' })`;
    expect(wordsLeftIn(component)).toEqual(['Transfer note ·', 'ratings', 'Template', 'Name', 'Not sent: ${error}', 'You are signed out.', 'Open now']);
    expect(wordsLeftIn(`/** A <video> or <audio> */ <code>fdk_{id}</code> {e.key === 'Enter' && go()} {x > 1 ? a : b} {n as Partial<T>}
      function Table<T>({ rows }: TableProps<T>) {}`)).toEqual([]);
  });
});
