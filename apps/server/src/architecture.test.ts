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

describe('architecture', () => {
  it('modules import each other only through index.ts', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(serverSrc)) {
      const ownModule = /modules\/([^/]+)\//.exec(path.relative(serverSrc, file))?.[1];
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = path.relative(serverSrc, path.resolve(path.dirname(file), spec));
        const match = /^modules\/([^/]+)\/(.+)$/.exec(target);
        if (match && match[1] !== ownModule && match[2] !== 'index.ts') violations.push(`${path.relative(root, file)} → ${spec}`);
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
