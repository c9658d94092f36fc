/** The accounts table. */
import { ACCOUNT_KINDS } from '../domain/account';
import type { Account, AccountKind } from '../domain/account';
import { MailError } from '../domain/errors';
import { asAccountId } from '../domain/ids';
import type { AccountId } from '../domain/ids';
import type { SqliteDatabase } from './db';

export interface NewAccount {
  kind: AccountKind;
  displayName: string;
  email: string | null;
  /** Non-secret settings (servers, ports, policies); secrets live in the vault, never here. */
  settings?: Readonly<Record<string, unknown>>;
}

/** What accounts.update may change; omitted fields stay as they are. */
export interface AccountChanges {
  kind?: AccountKind;
  displayName?: string;
  email?: string | null;
  settings?: Readonly<Record<string, unknown>>;
}

interface AccountRow {
  id: number;
  kind: string;
  display_name: string;
  email: string | null;
  created_at: number;
}

const COLUMNS = 'id, kind, display_name, email, created_at';

function isAccountKind(value: string): value is AccountKind {
  return (ACCOUNT_KINDS as readonly string[]).includes(value);
}

function toAccount(row: AccountRow): Account {
  if (!isAccountKind(row.kind)) {
    throw new MailError('STORE_CORRUPT', 'The mail store contains an account of an unknown kind.', {
      detail: row.kind,
    });
  }
  return {
    id: asAccountId(row.id),
    kind: row.kind,
    displayName: row.display_name,
    email: row.email,
    createdAt: row.created_at,
  };
}

export class AccountsRepo {
  private readonly selectAll;
  private readonly selectById;
  private readonly selectByKind;
  private readonly insertRow;
  private readonly selectSettings;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly selectEmlPaths;
  private readonly moveFolders;
  private readonly moveMessages;

  constructor(db: SqliteDatabase) {
    this.selectAll = db.prepare<[], AccountRow>(`SELECT ${COLUMNS} FROM accounts ORDER BY id`);
    this.selectById = db.prepare<[number], AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`);
    this.selectByKind = db.prepare<[string], AccountRow>(
      `SELECT ${COLUMNS} FROM accounts WHERE kind = ? ORDER BY id LIMIT 1`,
    );
    this.insertRow = db.prepare<[string, string, string | null, string, number], AccountRow>(
      `INSERT INTO accounts (kind, display_name, email, settings_json, created_at)
       VALUES (?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    );
    this.selectSettings = db.prepare<[number], { settings_json: string }>(
      'SELECT settings_json FROM accounts WHERE id = ?',
    );
    this.updateRow = db.prepare<[string, string, string | null, string, number], AccountRow>(
      `UPDATE accounts SET kind = ?, display_name = ?, email = ?, settings_json = ? WHERE id = ?
       RETURNING ${COLUMNS}`,
    );
    // Folders, messages and per-account sync state go with the account (ON DELETE CASCADE).
    this.deleteRow = db.prepare<[number]>('DELETE FROM accounts WHERE id = ?');
    this.selectEmlPaths = db.prepare<[number], { eml_path: string }>(
      'SELECT eml_path FROM messages WHERE account_id = ?',
    );
    // Server sync state means nothing under another account, and a moved "Inbox" must not compete
    // with the new owner's own Inbox, so roles and UIDVALIDITY/UIDNEXT/MODSEQ are cleared.
    this.moveFolders = db.prepare<[number, string, number, number]>(
      `UPDATE folders SET account_id = ?, path = ? || path, parent_id = COALESCE(parent_id, ?), role = NULL,
         uidvalidity = NULL, uidnext = NULL, highestmodseq = NULL
       WHERE account_id = ?`,
    );
    this.moveMessages = db.prepare<[number, number]>(
      'UPDATE messages SET account_id = ?, imap_uid = NULL, pop3_uidl = NULL WHERE account_id = ?',
    );
  }

  list(): Account[] {
    return this.selectAll.all().map(toAccount);
  }

  get(id: AccountId): Account | null {
    const row = this.selectById.get(id);
    return row ? toAccount(row) : null;
  }

  /** The Local Folders account, if it was created. */
  findLocal(): Account | null {
    const row = this.selectByKind.get('local');
    return row ? toAccount(row) : null;
  }

  insert(account: NewAccount, now: number = Date.now()): Account {
    const row = this.insertRow.get(
      account.kind,
      account.displayName,
      account.email,
      JSON.stringify(account.settings ?? {}),
      now,
    );
    if (!row) throw new MailError('INTERNAL', 'The account could not be saved.');
    return toAccount(row);
  }

  /** The account's non-secret settings as saved (parsed JSON), or null when there is no such account. */
  settingsOf(id: AccountId): unknown {
    const row = this.selectSettings.get(id);
    if (!row) return null;
    try {
      return JSON.parse(row.settings_json) as unknown;
    } catch (error) {
      throw new MailError('STORE_CORRUPT', 'The settings of this account are damaged.', { cause: error });
    }
  }

  update(id: AccountId, changes: AccountChanges): Account {
    const current = this.get(id);
    if (!current) throw new MailError('NOT_FOUND', 'That account no longer exists.');
    const settings = changes.settings === undefined ? this.settingsOf(id) : changes.settings;
    const row = this.updateRow.get(
      changes.kind ?? current.kind,
      changes.displayName ?? current.displayName,
      changes.email === undefined ? current.email : changes.email,
      JSON.stringify(settings ?? {}),
      id,
    );
    if (!row) throw new MailError('NOT_FOUND', 'That account no longer exists.');
    return toAccount(row);
  }

  /** Paths (relative to the data directory) of every stored message of the account. */
  emlPathsOf(id: AccountId): string[] {
    return this.selectEmlPaths.all(id).map((row) => row.eml_path);
  }

  /**
   * Moves every folder and message of `from` under the folder `under` of account `to` (its paths
   * prefixed with `under`'s path and "/"). Call inside a transaction, with `under` already created.
   */
  handOverMail(from: AccountId, to: AccountId, under: { id: number; path: string }): void {
    this.moveFolders.run(to, `${under.path}/`, under.id, from);
    this.moveMessages.run(to, from);
  }

  /** Deletes the account with its folders and message rows; the caller removes the .eml files. */
  remove(id: AccountId): void {
    this.deleteRow.run(id);
  }
}
