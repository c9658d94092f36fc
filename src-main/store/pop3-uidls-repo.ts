/**
 * The pop3_uidls ledger (002-pop3-uidl-ledger.sql): which POP3 unique-ids (RFC 1939 §7) an account
 * has stored, since when, and whether the local copy is whole, headers only or deleted here.
 */
import { MailError } from '../domain/errors';
import { asAccountId, asMessageId } from '../domain/ids';
import type { AccountId, MessageId } from '../domain/ids';
import type { SqliteDatabase } from './db';

export const POP3_UIDL_STATES = ['downloaded', 'deleted_here', 'headers_only'] as const;
export type Pop3UidlState = (typeof POP3_UIDL_STATES)[number];

export interface Pop3UidlEntry {
  uidl: string;
  /** When this unique-id was first stored here (ms since the epoch): the age "delete after N days" uses. */
  firstSeenMs: number;
  state: Pop3UidlState;
  /** The local message, or null once it was deleted here. */
  messageId: MessageId | null;
}

export interface Pop3MessageUidl extends Pop3UidlEntry {
  accountId: AccountId;
}

interface LedgerRow {
  account_id: number;
  uidl: string;
  first_seen_ms: number;
  state: string;
  message_id: number | null;
}

const COLUMNS = 'account_id, uidl, first_seen_ms, state, message_id';

function toState(value: string): Pop3UidlState {
  if ((POP3_UIDL_STATES as readonly string[]).includes(value)) return value as Pop3UidlState;
  throw new MailError('STORE_CORRUPT', 'The mail store contains a POP3 record in an unknown state.', {
    detail: value,
  });
}

function toEntry(row: LedgerRow): Pop3MessageUidl {
  return {
    accountId: asAccountId(row.account_id),
    uidl: row.uidl,
    firstSeenMs: row.first_seen_ms,
    state: toState(row.state),
    messageId: row.message_id === null ? null : asMessageId(row.message_id),
  };
}

export class Pop3UidlsRepo {
  private readonly selectByAccount;
  private readonly selectStoredUidls;
  private readonly selectStoredUidl;
  private readonly selectByMessage;
  private readonly upsertRow;
  private readonly updateState;
  private readonly markMessagesDeleted;
  private readonly deleteAbsent;

  constructor(db: SqliteDatabase) {
    this.selectByAccount = db.prepare<[number], LedgerRow>(
      `SELECT ${COLUMNS} FROM pop3_uidls WHERE account_id = ?`,
    );
    this.selectStoredUidls = db.prepare<[number], { pop3_uidl: string }>(
      'SELECT pop3_uidl FROM messages WHERE account_id = ? AND pop3_uidl IS NOT NULL',
    );
    this.selectStoredUidl = db.prepare<[number, string], { id: number }>(
      'SELECT id FROM messages WHERE account_id = ? AND pop3_uidl = ?',
    );
    this.selectByMessage = db.prepare<[number], LedgerRow>(
      `SELECT ${COLUMNS} FROM pop3_uidls WHERE message_id = ?`,
    );
    // A unique-id stored again keeps its first_seen_ms: the age counts from the first arrival.
    this.upsertRow = db.prepare<[number, string, number, string, number | null]>(
      `INSERT INTO pop3_uidls (account_id, uidl, first_seen_ms, state, message_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, uidl) DO UPDATE SET state = excluded.state, message_id = excluded.message_id`,
    );
    this.updateState = db.prepare<[string, number, string]>(
      'UPDATE pop3_uidls SET state = ? WHERE account_id = ? AND uidl = ?',
    );
    this.markMessagesDeleted = db.prepare<[string]>(
      `UPDATE pop3_uidls SET state = 'deleted_here'
       WHERE message_id IN (SELECT value FROM json_each(?)) AND state <> 'deleted_here'`,
    );
    // Headers-only entries stay: their message is still waiting for its full download.
    this.deleteAbsent = db.prepare<[number, string]>(
      `DELETE FROM pop3_uidls WHERE account_id = ? AND state <> 'headers_only'
       AND uidl NOT IN (SELECT value FROM json_each(?))`,
    );
  }

  /** The account's ledger by unique-id. */
  entries(accountId: AccountId): Map<string, Pop3UidlEntry> {
    const entries = new Map<string, Pop3UidlEntry>();
    for (const row of this.selectByAccount.all(accountId)) {
      const { accountId: _account, ...entry } = toEntry(row);
      entries.set(entry.uidl, entry);
    }
    return entries;
  }

  /** Unique-ids carried by the account's stored messages (messages.pop3_uidl). */
  storedUidls(accountId: AccountId): Set<string> {
    return new Set(this.selectStoredUidls.all(accountId).map((row) => row.pop3_uidl));
  }

  /** Whether a message with this unique-id is in the store (uses the unique index). */
  isStored(accountId: AccountId, uidl: string): boolean {
    return this.selectStoredUidl.get(accountId, uidl) !== undefined;
  }

  forMessage(messageId: MessageId): Pop3MessageUidl | null {
    const row = this.selectByMessage.get(messageId);
    return row ? toEntry(row) : null;
  }

  /** Records a stored message; call in the transaction that inserts its row. */
  record(
    accountId: AccountId,
    uidl: string,
    state: Pop3UidlState,
    messageId: MessageId | null,
    firstSeenMs: number,
  ): void {
    this.upsertRow.run(accountId, uidl, firstSeenMs, state, messageId);
  }

  setState(accountId: AccountId, uidl: string, state: Pop3UidlState): void {
    this.updateState.run(state, accountId, uidl);
  }

  /** Marks these messages deleted here (their rows may stay, e.g. in Trash); returns how many changed. */
  markDeletedHere(messageIds: readonly MessageId[]): number {
    if (messageIds.length === 0) return 0;
    return this.markMessagesDeleted.run(JSON.stringify(messageIds)).changes;
  }

  /**
   * Forgets unique-ids that are no longer on the server (deleted there, by us or another client):
   * they cannot come back (RFC 1939 §7), so the ledger stays as small as the maildrop.
   */
  pruneAbsent(accountId: AccountId, onServer: Iterable<string>): number {
    return this.deleteAbsent.run(accountId, JSON.stringify([...onServer])).changes;
  }
}
