import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** Starts the loopback PostgreSQL the suite runs against (installed from Debian if missing). */
export default function setup(project: TestProject) {
  const given = process.env.FRONTDESK_TEST_DATABASE_URL;
  if (given) return project.provide('postgresUrl', given);
  const script = path.resolve(import.meta.dirname, '../../../scripts/postgres.sh');
  const wasRunning = spawnSync('bash', [script, 'status']).status === 0;
  const url = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;
  project.provide('postgresUrl', url);
  // Stop it afterwards only if this run started it.
  if (!wasRunning) return () => void execFileSync('bash', [script, 'stop'], { stdio: 'inherit' });
}
