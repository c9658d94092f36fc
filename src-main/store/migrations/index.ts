/**
 * The schema migrations, in order. The SQL is imported as text (Vite's `?raw`), so it is inside the
 * bundle electron-vite builds and inside the modules vitest runs; nothing is read from disk at run
 * time. A migration, once released, never changes: a new change is a new file.
 */
import initial from './001-initial.sql?raw';
import pop3UidlLedger from './002-pop3-uidl-ledger.sql?raw';
import imapSync from './003-imap-sync.sql?raw';
import pendingActions from './004-pending-actions.sql?raw';
import outbox from './005-outbox.sql?raw';
import readerPrefs from './006-reader-prefs.sql?raw';
import search from './007-search.sql?raw';
import searchCjk from './008-search-cjk.sql?raw';

export interface Migration {
  /** The value PRAGMA user_version has after this migration. */
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001-initial', sql: initial },
  { version: 2, name: '002-pop3-uidl-ledger', sql: pop3UidlLedger },
  { version: 3, name: '003-imap-sync', sql: imapSync },
  { version: 4, name: '004-pending-actions', sql: pendingActions },
  { version: 5, name: '005-outbox', sql: outbox },
  { version: 6, name: '006-reader-prefs', sql: readerPrefs },
  { version: 7, name: '007-search', sql: search },
  { version: 8, name: '008-search-cjk', sql: searchCjk },
];
