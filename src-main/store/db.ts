/**
 * Opens the SQLite database (better-sqlite3) and brings its schema up to date.
 */
import Database from 'better-sqlite3';
import { MailError } from '../domain/errors';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/index';

export type SqliteDatabase = Database.Database;

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

function configure(db: SqliteDatabase): void {
  // WAL: readers never block the writer and a commit is one append to the log.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (typeof mode === 'string' && mode.toLowerCase() !== 'wal' && db.name !== ':memory:') {
    throw new MailError('STORE_CORRUPT', 'The mail store could not be opened for writing.', {
      detail: `journal_mode is ${mode}`,
    });
  }
  // NORMAL with WAL syncs at checkpoints, not on every commit: a power cut can lose the last
  // transactions but never corrupts the database. That is enough for rows because the mail itself
  // is in .eml files, each fsynced before its row is written (eml-files.ts), and every row can be
  // rebuilt from them; what a crash can lose is re-imported or re-downloaded (UIDL/UID dedupe).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // A statement with triggers or unique indexes (every messages INSERT) keeps a statement journal
  // of the pages it changes; in a temp file that is ~30 pwrite calls per inserted row (measured:
  // 55 of 120 µs per row were system time). In memory it is a copy of those few pages.
  db.pragma('temp_store = MEMORY');
}

export function schemaVersion(db: SqliteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies every migration newer than PRAGMA user_version, each in its own transaction. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
  if (current > latest) {
    throw new MailError('STORE_CORRUPT', 'This mail store was written by a newer version of Estafeta.', {
      detail: `schema version ${current}, this version knows up to ${latest}`,
    });
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      // user_version lives in the database header, so it commits or rolls back with the DDL.
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersion(db);
}

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    throw new MailError('STORE_CORRUPT', 'The mail store could not be opened.', {
      detail: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  try {
    configure(db);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof MailError) throw error;
    throw new MailError('STORE_CORRUPT', 'The mail store is damaged or not an Estafeta store.', {
      detail: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

/** Folds the WAL back into the database file so the next start opens quickly, then closes. */
export function closeDatabase(db: SqliteDatabase): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
