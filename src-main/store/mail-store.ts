/**
 * The local store as one object: the SQLite database under <dataDir>/estafeta.db, its repositories,
 * the full-text index and the .eml files. Services receive this; nothing else opens the database.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_FOLDERS_NAME } from '../domain/account';
import type { Account } from '../domain/account';
import { LOCAL_DEFAULT_FOLDERS } from '../domain/folder';
import type { Folder } from '../domain/folder';
import { MailError } from '../domain/errors';
import { AccountsRepo } from './accounts-repo';
import { closeDatabase, openDatabase } from './db';
import type { SqliteDatabase } from './db';
import { EmlFiles } from './eml-files';
import type { EmlFileSystem } from './eml-files';
import { ComposerRepo } from './composer-repo';
import { FoldersRepo } from './folders-repo';
import { MailActionsRepo } from './mail-actions-repo';
import { ImapSyncRepo } from './imap-sync-repo';
import { MessageQueries } from './message-queries';
import { MessagesRepo } from './messages-repo';
import { OutboxRepo } from './outbox-repo';
import { PendingActionsRepo } from './pending-actions-repo';
import { sweepOrphanEmlFiles, type OrphanSweepResult } from './orphan-eml-sweep';
import { Pop3UidlsRepo } from './pop3-uidls-repo';
import { RemoteContentSendersRepo } from './remote-content-senders-repo';
import { SearchIndex } from './search';
import { toStoreError } from './sqlite-errors';

export const DATABASE_FILE = 'estafeta.db';
/** Local Folders paths use "/" like most IMAP servers, so moving a tree between accounts is simple. */
const LOCAL_DELIMITER = '/';

export interface MailStoreOptions {
  /** Replaces the real file system for .eml files (tests inject a full disk this way). */
  fileSystem?: EmlFileSystem;
}

export class SqliteMailStore {
  readonly accounts: AccountsRepo;
  readonly folders: FoldersRepo;
  readonly messages: MessagesRepo;
  /** Lists across folders and by thread (unified Inbox, conversation view). */
  readonly queries: MessageQueries;
  readonly pop3Uidls: Pop3UidlsRepo;
  readonly mailActions: MailActionsRepo;
  readonly pendingActions: PendingActionsRepo;
  readonly remoteContentSenders: RemoteContentSendersRepo;
  /** IMAP folder sync state, stored UIDs, server flags, bodies still on the server. */
  readonly imapSync: ImapSyncRepo;
  /** Sending (issue 6): the durable outbox, and drafts and address completion for the composer. */
  readonly outbox: OutboxRepo;
  readonly composer: ComposerRepo;
  readonly search: SearchIndex;
  readonly emlFiles: EmlFiles;

  private constructor(
    private readonly db: SqliteDatabase,
    readonly dataDir: string,
    options: MailStoreOptions,
  ) {
    this.accounts = new AccountsRepo(db);
    this.folders = new FoldersRepo(db);
    this.messages = new MessagesRepo(db);
    this.queries = new MessageQueries(db);
    this.pop3Uidls = new Pop3UidlsRepo(db);
    this.mailActions = new MailActionsRepo(db);
    this.pendingActions = new PendingActionsRepo(db);
    this.remoteContentSenders = new RemoteContentSendersRepo(db);
    this.imapSync = new ImapSyncRepo(db);
    this.outbox = new OutboxRepo(db);
    this.composer = new ComposerRepo(db);
    this.search = new SearchIndex(db);
    this.emlFiles = new EmlFiles(dataDir, options.fileSystem);
  }

  /** Creates the data directory if needed, opens and migrates the database. */
  static open(dataDir: string, options: MailStoreOptions = {}): SqliteMailStore {
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new MailError('INTERNAL', 'The folder for the mail store could not be created.', {
        detail: error instanceof Error ? error.message : String(error),
        cause: error,
      });
    }
    const db = openDatabase(path.join(dataDir, DATABASE_FILE));
    return new SqliteMailStore(db, dataDir, options);
  }

  /**
   * Runs `work` in one transaction (all or nothing); nested calls become savepoints. SQLite errors
   * leave as MailError (a full disk as DISK_FULL).
   */
  transaction<T>(work: () => T): T {
    try {
      return this.db.transaction(work)();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * The Local Folders account with Inbox, Drafts, Sent and Trash, created on first open. Idempotent:
   * missing pieces are added, existing ones left alone.
   */
  ensureLocalFolders(): { account: Account; folders: Folder[] } {
    return this.transaction(() => {
      const account =
        this.accounts.findLocal() ??
        this.accounts.insert({ kind: 'local', displayName: LOCAL_FOLDERS_NAME, email: null });
      for (const { name, role } of LOCAL_DEFAULT_FOLDERS) {
        if (this.folders.findByRole(account.id, role) || this.folders.findByPath(account.id, name)) continue;
        this.folders.insert({
          accountId: account.id,
          parentId: null,
          name,
          path: name,
          delimiter: LOCAL_DELIMITER,
          role,
        });
      }
      return { account, folders: this.folders.list(account.id) };
    });
  }

  /**
   * Makes every committed transaction survive a power cut. With synchronous=NORMAL a commit reaches
   * the WAL but is fsynced only at a checkpoint (db.ts); a checkpoint fsyncs it. Call before an
   * irreversible change on a server, such as the POP3 QUIT that applies DELEs (RFC 1939 §6).
   */
  syncToDisk(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * Removes .eml files no row points to that were written before `cutoffMs` (left by a crash
   * between writing a file and committing its row); call at startup (orphan-eml-sweep.ts).
   */
  sweepOrphanEmlFiles(cutoffMs: number): Promise<OrphanSweepResult> {
    return sweepOrphanEmlFiles(this.db, this.dataDir, cutoffMs);
  }

  close(): void {
    closeDatabase(this.db);
  }
}
