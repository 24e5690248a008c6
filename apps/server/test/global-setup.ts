import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** Starts the loopback PostgreSQL the suite runs against (installed from Debian if missing). */
export default function setup(project: TestProject) {
  const script = path.resolve(import.meta.dirname, '../../../scripts/postgres.sh');
  const url = process.env.FRONTDESK_TEST_DATABASE_URL ?? execFileSync('bash', [script, 'start'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  project.provide('postgresUrl', url);
}
