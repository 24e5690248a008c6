import type { ModuleMigrations } from '../../platform/storage/migrations.ts';

/** The contacts module's steps of each migration (a step never changes once published: add a new one). */
export const contactsMigrations: ModuleMigrations = {
  /** Contacts: one profile per visitor, and which contact each visitor is. */
  '0020_contacts': async (db) => {
    await db.schema
      .createTable('contacts')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(100)')
      .addColumn('email', 'varchar(254)')
      .addColumn('phone', 'varchar(32)')
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('page_url', 'varchar(2048)')
      .addColumn('referrer', 'varchar(2048)')
      .addColumn('browser', 'varchar(64)')
      .addColumn('os', 'varchar(64)')
      .addColumn('language', 'varchar(35)')
      .addColumn('time_zone', 'varchar(64)')
      .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('merged_into_id', 'varchar(64)')
      .execute();
    await db.schema.createIndex('contacts_app_last_seen').on('contacts').columns(['app_id', 'last_seen_at']).execute();
    await db.schema
      .createTable('contact_visitors')
      .addColumn('app_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('visitor_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('contact_id', 'varchar(64)', (c) => c.notNull().references('contacts.id'))
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_visitors_pk', ['app_id', 'visitor_id'])
      .execute();
    await db.schema.createIndex('contact_visitors_contact').on('contact_visitors').columns(['contact_id']).execute();
  },
};
