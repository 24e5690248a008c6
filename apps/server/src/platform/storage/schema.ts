import type { AnalyticsTables } from '../../modules/analytics/analytics.schema.ts';
import type { CallsTables } from '../../modules/calls/calls.schema.ts';
import type { ScreenShareTables } from '../../modules/calls/screen-share.schema.ts';
import type { CannedResponsesTables } from '../../modules/canned-responses/canned-responses.schema.ts';
import type { CobrowseTables } from '../../modules/cobrowse/cobrowse.schema.ts';
import type { ChannelsTables } from '../../modules/channels/channels.schema.ts';
import type { CompatTables } from '../../modules/compat/compat.schema.ts';
import type { ContactsTables } from '../../modules/contacts/contacts.schema.ts';
import type { ConversationsTables } from '../../modules/conversations/conversations.schema.ts';
import type { IdentityTables } from '../../modules/identity/identity.schema.ts';
import type { PresenceTables } from '../../modules/presence/presence.schema.ts';
import type { RecordingsTables } from '../../modules/recordings/recordings.schema.ts';
import type { ReportsTables } from '../../modules/reports/reports.schema.ts';
import type { RoutingTables } from '../../modules/routing/routing.schema.ts';
import type { SupervisionTables } from '../../modules/supervision/supervision.schema.ts';
import type { TenancyTables } from '../../modules/tenancy/tenancy.schema.ts';
import type { WrapUpTables } from '../../modules/wrap-up/wrap-up.schema.ts';
import type { WebhooksTables } from '../../modules/webhooks/webhooks.schema.ts';
import type { JobsTables } from '../jobs/jobs.schema.ts';

/**
 * Every table, composed from the modules that own them (`<module>.schema.ts`). Timestamps are
 * integer ms, booleans are 0/1 integers and lists are JSON text, so one schema and one set of
 * queries serve SQLite and PostgreSQL. A module queries only the tables it declares (checked by
 * architecture.test.ts); others' data comes through their public face or domain events.
 */
export type Database = TenancyTables &
  IdentityTables &
  ConversationsTables &
  CannedResponsesTables &
  ContactsTables &
  ChannelsTables &
  RoutingTables &
  CallsTables &
  ScreenShareTables &
  SupervisionTables &
  CobrowseTables &
  WrapUpTables &
  WebhooksTables &
  ReportsTables &
  AnalyticsTables &
  CompatTables &
  PresenceTables &
  RecordingsTables &
  JobsTables;
