import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { analyticsMigrations } from '../../modules/analytics/analytics.migrations.ts';
import { callsMigrations } from '../../modules/calls/calls.migrations.ts';
import { screenShareMigrations } from '../../modules/calls/screen-share.migrations.ts';
import { cannedResponsesMigrations } from '../../modules/canned-responses/canned-responses.migrations.ts';
import { channelsMigrations } from '../../modules/channels/channels.migrations.ts';
import { cobrowseMigrations } from '../../modules/cobrowse/cobrowse.migrations.ts';
import { compatMigrations } from '../../modules/compat/compat.migrations.ts';
import { contactsMigrations } from '../../modules/contacts/contacts.migrations.ts';
import { conversationsMigrations } from '../../modules/conversations/conversations.migrations.ts';
import { identityMigrations } from '../../modules/identity/identity.migrations.ts';
import { presenceMigrations } from '../../modules/presence/presence.migrations.ts';
import { recordingsMigrations } from '../../modules/recordings/recordings.migrations.ts';
import { reportsMigrations } from '../../modules/reports/reports.migrations.ts';
import { supervisionMigrations } from '../../modules/supervision/supervision.migrations.ts';
import { routingMigrations } from '../../modules/routing/routing.migrations.ts';
import { tenancyMigrations } from '../../modules/tenancy/tenancy.migrations.ts';
import { wrapUpMigrations } from '../../modules/wrap-up/wrap-up.migrations.ts';
import { webhooksMigrations } from '../../modules/webhooks/webhooks.migrations.ts';
import { jobsMigrations } from '../jobs/jobs.migrations.ts';

/**
 * One module's part of each migration, keyed by the migration's global name (`0015_jobs`). A
 * module writes only its own tables; a published step never changes: add a new name.
 */
export type ModuleMigrations = Record<string, (db: Kysely<any>) => Promise<void>>;

/**
 * Every owner of tables, in the order their steps run within one migration: a module after the
 * modules whose tables its foreign keys name (apps before agents before conversations…).
 */
export const MIGRATION_OWNERS: readonly ModuleMigrations[] = [
  tenancyMigrations,
  identityMigrations,
  conversationsMigrations,
  cannedResponsesMigrations,
  // After conversations and identity (their visitors), its own tables only.
  contactsMigrations,
  channelsMigrations,
  routingMigrations,
  callsMigrations,
  screenShareMigrations,
  // After conversations and identity: its foreign keys name conversations and agents.
  supervisionMigrations,
  cobrowseMigrations,
  // After conversations: its wrap-ups name conversations.
  wrapUpMigrations,
  webhooksMigrations,
  reportsMigrations,
  analyticsMigrations,
  compatMigrations,
  presenceMigrations,
  recordingsMigrations,
  // After webhooks and reports: its first step moves their delivery tables' rows into jobs.
  jobsMigrations,
];

/**
 * The migrations Kysely runs, in name order: each one runs the steps its owners declared under
 * its name, in owner order, in one transaction. Names are those of the single list this replaced,
 * so databases created before modules owned their migrations see nothing new to apply.
 */
export function composeMigrations(owners: readonly ModuleMigrations[] = MIGRATION_OWNERS): Record<string, Migration> {
  const names = [...new Set(owners.flatMap((owner) => Object.keys(owner)))].sort();
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        async up(db: Kysely<any>) {
          for (const owner of owners) await owner[name]?.(db);
        },
      },
    ]),
  );
}

export async function migrateToLatest(db: Kysely<any>, migrations: Record<string, Migration> = composeMigrations()): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
