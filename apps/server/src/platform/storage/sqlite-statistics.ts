import type SqliteDatabase from 'better-sqlite3';

/** How often the statistics are brought up to date (`pragma optimize`: by SQLite's account a no-op unless a table grew or shrank a lot). */
const STATISTICS_EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps SQLite's query planner statistics: each index's size and how many rows its leading columns
 * select (sqlite_stat1), as SQLite advises for long-lived connections (`pragma optimize`, which
 * bounds its own work: 0.36 s with every table, on a database of 1.1 million rows). NOTE: without
 * them SQLite guesses that an equality on an index's first column selects ten rows; nearly every
 * index here starts with the app, which in most deployments is every row, so `app_id = ? and id in
 * (…)` walked the app's whole index instead of looking the ids up (seven visitors by id: 27 ms at
 * 100,000 visitors, 0.01 ms with the statistics).
 *
 * The samples of values (sqlite_stat4) are dropped: with them, a statement whose plan looked at a
 * bound value is compiled again whenever that value is bound anew (an indexed read went from 1.2 to
 * 5.0 µs, a range from 1.2 to 8.8), which the hot paths' statements, run with new values each time,
 * would pay on every run.
 */
export function updatePlannerStatistics(file: SqliteDatabase.Database, { allTables }: { allTables: boolean }): void {
  file.pragma(allTables ? 'optimize = 0x10002' : 'optimize');
  const hasSamples = file.prepare("select 1 from sqlite_schema where name = 'sqlite_stat4'").get() !== undefined && file.prepare('select 1 from sqlite_stat4 limit 1').get() !== undefined;
  // `analyze sqlite_schema` makes the planner read the statistics again (without the samples).
  if (hasSamples) file.exec('delete from sqlite_stat4; analyze sqlite_schema');
}

/** Brings the statistics up to date every hour, between transactions; answers how to stop. */
export function schedulePlannerStatistics(file: SqliteDatabase.Database): () => void {
  const update = (): void => {
    if (!file.open) return;
    // A transaction holds the one connection across turns of the event loop: after it.
    if (file.inTransaction) return void setTimeout(update, 1000).unref();
    try {
      updatePlannerStatistics(file, { allTables: false });
    } catch {
      // Tried again at the next hour (e.g. another process held the write lock past busy_timeout).
    }
  };
  const timer = setInterval(update, STATISTICS_EVERY_MS).unref();
  return () => clearInterval(timer);
}
