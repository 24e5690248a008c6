import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Module boundaries, checked on the import statements: a module is reached only
 * through its index.ts, and the protocol package imports nothing but zod.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const serverSrc = path.join(root, 'apps/server/src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** Table names a schema file declares: the keys of its `export interface …Tables { … }`. */
function declaredTables(schemaFile: string): string[] {
  const body = /export interface \w+Tables \{([\s\S]*?)\n\}/.exec(fs.readFileSync(schemaFile, 'utf8'))?.[1] ?? '';
  return [...body.matchAll(/^  ([a-z_]+): /gm)].map((m) => m[1]!);
}

/** Tables a source file names in a query (Kysely builders, raw SQL) or by row type (`Database['…']`). */
function tablesUsed(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const builder = /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto|mergeInto)\(\s*['"]([a-z_]+)(?:\s+as\s+\w+)?['"]/g;
  const rowType = /\bDatabase\[['"]([a-z_]+)['"]\]/g;
  const rawSql = /\bsql(?:<[^>`]*>)?`([^`]*)`/g;
  const names = [...text.matchAll(builder), ...text.matchAll(rowType)].map((m) => m[1]!);
  // NOTE: `do update set` (an upsert) and `for update` (a row lock) name no table, nor does a
  // function read like one (`from unnest(…)`).
  // A `with` query's own names (`locked as materialized (…)`) are not tables either.
  for (const m of text.matchAll(rawSql)) {
    const ctes = new Set([...m[1]!.matchAll(/\b([a-z_]+)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(/gi)].map((t) => t[1]!));
    names.push(...[...m[1]!.matchAll(/\b(?:from|join|into|(?<!\b(?:do|for)\s+)update)\s+"?([a-z_]+)\b(?!\()/gi)].map((t) => t[1]!).filter((name) => !ctes.has(name)));
  }
  return names;
}

/** Who owns each table: the module (or platform part) whose schema file declares it. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of sourceFiles(serverSrc).filter((f) => f.endsWith('.schema.ts'))) {
    const owner = path.relative(serverSrc, path.dirname(file));
    for (const table of declaredTables(file)) {
      expect(owners.get(table), `${table} declared twice`).toBeUndefined();
      owners.set(table, owner);
    }
  }
  return owners;
}

describe('architecture', () => {
  it('every table is declared by one module, and a module queries only the tables it declares', () => {
    const owners = tableOwners();
    expect(owners.size).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const file of sourceFiles(serverSrc).filter((f) => !f.endsWith('.test.ts') && !f.endsWith('.migrations.ts'))) {
      const rel = path.relative(serverSrc, file);
      // A module is modules/<name>; platform parts that own tables (platform/jobs) count as one each.
      const home = /^(modules\/[^/]+|platform\/[^/]+)\//.exec(rel)?.[1] ?? rel;
      for (const table of new Set(tablesUsed(file))) {
        const owner = owners.get(table);
        if (!owner) violations.push(`${rel} uses ${table}, which no schema file declares`);
        else if (owner !== home && !(rel.startsWith('platform/storage/') && file.endsWith('schema.ts'))) violations.push(`${rel} uses ${table}, owned by ${owner}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('modules import each other only through index.ts', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(serverSrc)) {
      const ownModule = /modules\/([^/]+)\//.exec(path.relative(serverSrc, file))?.[1];
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = path.relative(serverSrc, path.resolve(path.dirname(file), spec));
        const match = /^modules\/([^/]+)\/(.+)$/.exec(target);
        // Storage composes every module's tables and migrations (their schema and migration files only).
        const isStorageComposition = file.includes('/platform/storage/') && /\.(schema|migrations)\.ts$/.test(match?.[2] ?? '');
        if (match && match[1] !== ownModule && match[2] !== 'index.ts' && !isStorageComposition) violations.push(`${path.relative(root, file)} → ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the protocol package imports nothing but zod', () => {
    const dir = path.join(root, 'packages/protocol/src');
    const external = sourceFiles(dir).flatMap(imports).filter((s) => !s.startsWith('.'));
    expect(new Set(external)).toEqual(new Set(['zod']));
  });

  it('only config/ reads process.env', () => {
    const readers = sourceFiles(serverSrc).filter((f) => !f.includes('/config/') && !f.endsWith('.test.ts') && /process\.env/.test(fs.readFileSync(f, 'utf8')));
    expect(readers.map((f) => path.relative(root, f))).toEqual([]);
  });
});
