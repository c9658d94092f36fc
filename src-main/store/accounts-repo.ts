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
}
