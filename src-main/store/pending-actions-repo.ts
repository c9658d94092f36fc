/**
 * The pending_actions queue (004-pending-actions.sql): IMAP changes made here and not yet on the
 * server, in the order they were made, each with the messages it touches.
 */
import { MailError } from '../domain/errors';
import { asAccountId, asMessageId } from '../domain/ids';
import type { AccountId, MessageId } from '../domain/ids';
import type { SqliteDatabase } from './db';

export const PENDING_ACTION_KINDS = [
  'flags',
  'move',
  'copy',
  'expunge',
  'append',
  'folder_create',
  'folder_rename',
  'folder_delete',
] as const;
export type PendingActionKind = (typeof PENDING_ACTION_KINDS)[number];
export type PendingActionState = 'pending' | 'sending' | 'failed';

/** One message of an action, where it is on the server when the action runs. */
export interface PendingMessage {
  messageId: MessageId;
  folderPath: string;
  /** Null when not known yet (an earlier queued move has not been replayed). */
  uid: number | null;
  /** move/copy/append: the local row standing for the message in the destination. */
  targetMessageId: MessageId | null;
  /** The folder's UIDVALIDITY when queued; null when it had not been synced. Set by the queue. */
  uidValidity?: number | null;
}

export interface NewPendingAction {
  accountId: AccountId;
  kind: PendingActionKind;
  params: Readonly<Record<string, unknown>>;
  messages: readonly PendingMessage[];
}

export interface PendingAction {
  id: number;
  accountId: AccountId;
  kind: PendingActionKind;
  params: Readonly<Record<string, unknown>>;
  state: PendingActionState;
  attempts: number;
  lastError: string | null;
  createdMs: number;
  messages: PendingMessage[];
}

/** A UID the server told us for a local row (COPYUID / APPENDUID, RFC 4315 §3). */
export interface LearnedUid {
  messageId: MessageId;
  uid: number;
}

interface ActionRow {
  id: number;
  account_id: number;
  kind: string;
  params_json: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_ms: number;
}

interface ItemRow {
  message_id: number;
  folder_path: string;
  uid: number | null;
  target_message_id: number | null;
  uidvalidity: number | null;
}

const ACTION_COLUMNS = 'id, account_id, kind, params_json, state, attempts, last_error, created_ms';
/** Keeps a single last_error short: it is diagnosis, not a log. */
const MAX_ERROR_TEXT = 500;

function toKind(value: string): PendingActionKind {
  if ((PENDING_ACTION_KINDS as readonly string[]).includes(value)) return value as PendingActionKind;
  throw new MailError('STORE_CORRUPT', 'The mail store contains a queued change of an unknown kind.', {
    detail: value,
  });
}

function toParams(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new MailError('STORE_CORRUPT', 'The mail store contains a damaged queued change.', { detail: text });
}

export class PendingActionsRepo {
  private readonly insertAction;
  private readonly insertItem;
  private readonly selectNext;
  private readonly selectItems;
  private readonly updateState;
  private readonly updateFailure;
  private readonly deleteAction;
  private readonly selectNextRelocation;
  private readonly fillUid;
  private readonly setMessageUid;
  private readonly countOpen;
  private readonly selectOpenMessages;
  private readonly selectAccounts;
  private readonly selectAll;
  private readonly selectTouching;

  constructor(private readonly db: SqliteDatabase) {
    this.insertAction = db.prepare<[number, string, string, number]>(
      'INSERT INTO pending_actions (account_id, kind, params_json, created_ms) VALUES (?, ?, ?, ?)',
    );
    // The UIDVALIDITY the queued UID belongs to is the folder's as stored now.
    this.insertItem = db.prepare<[number, number, string, number | null, number | null, number, string]>(
      `INSERT OR REPLACE INTO pending_action_messages
         (action_id, message_id, folder_path, uid, target_message_id, uidvalidity)
       VALUES (?, ?, ?, ?, ?, (SELECT uidvalidity FROM folders WHERE account_id = ? AND path = ?))`,
    );
    this.selectNext = db.prepare<[number], ActionRow>(
      `SELECT ${ACTION_COLUMNS} FROM pending_actions WHERE account_id = ? AND state <> 'failed'
       ORDER BY id LIMIT 1`,
    );
    // A UID not written into the item yet may be on the row already: the sync engine matched the
    // message by Message-ID, or it was known when queued. It counts only while the row is still
    // in the folder the item names.
    this.selectItems = db.prepare<[number], ItemRow>(
      `SELECT i.message_id, i.folder_path, i.target_message_id, i.uidvalidity,
         COALESCE(i.uid, CASE WHEN f.path = i.folder_path THEN m.imap_uid END) AS uid
       FROM pending_action_messages i
       LEFT JOIN messages m ON m.id = i.message_id
       LEFT JOIN folders f ON f.id = m.folder_id
       WHERE i.action_id = ? ORDER BY i.message_id`,
    );
    this.updateState = db.prepare<[string, number]>('UPDATE pending_actions SET state = ? WHERE id = ?');
    this.updateFailure = db.prepare<[string, string, number]>(
      'UPDATE pending_actions SET state = ?, attempts = attempts + 1, last_error = ? WHERE id = ?',
    );
    this.deleteAction = db.prepare<[number]>('DELETE FROM pending_actions WHERE id = ?');
    // The next queued action that moves this message elsewhere: the UID learned now is valid up to
    // and including that action, not after it.
    this.selectNextRelocation = db.prepare<[number, number, number], { id: number | null }>(
      `SELECT MIN(a.id) AS id FROM pending_action_messages i JOIN pending_actions a ON a.id = i.action_id
       WHERE i.message_id = ? AND a.account_id = ? AND a.id > ? AND a.kind = 'move'`,
    );
    this.fillUid = db.prepare<[number, number, number, number]>(
      `UPDATE pending_action_messages SET uid = ?
       WHERE message_id = ? AND uid IS NULL AND action_id > ? AND action_id <= ?`,
    );
    // OR IGNORE: if the sync engine already stored this UID on another row, that row stands.
    this.setMessageUid = db.prepare<[number, number]>(
      'UPDATE OR IGNORE messages SET imap_uid = ? WHERE id = ? AND imap_uid IS NULL',
    );
    this.countOpen = db.prepare<[number], { n: number }>(
      `SELECT COUNT(*) AS n FROM pending_actions WHERE account_id = ? AND state <> 'failed'`,
    );
    this.selectOpenMessages = db.prepare<[number, number], { id: number }>(
      `SELECT i.message_id AS id FROM pending_action_messages i JOIN pending_actions a ON a.id = i.action_id
       WHERE a.account_id = ? AND a.state <> 'failed'
       UNION
       SELECT i.target_message_id FROM pending_action_messages i JOIN pending_actions a ON a.id = i.action_id
       WHERE a.account_id = ? AND a.state <> 'failed' AND i.target_message_id IS NOT NULL`,
    );
    this.selectAccounts = db.prepare<[], { account_id: number }>(
      `SELECT DISTINCT account_id FROM pending_actions WHERE state <> 'failed' ORDER BY account_id`,
    );
    // A folder is touched when messages in it are acted on, when it is a destination, or when it
    // is created, renamed or deleted.
    this.selectTouching = db.prepare<
      [number, string, string, string, string, string, string],
      { hit: number }
    >(
      `SELECT 1 AS hit FROM pending_actions a WHERE a.account_id = ? AND a.state <> 'failed' AND (
         EXISTS (SELECT 1 FROM pending_action_messages i WHERE i.action_id = a.id AND i.folder_path = ?)
         OR json_extract(a.params_json, '$.destination') = ?
         OR json_extract(a.params_json, '$.path') = ?
         OR json_extract(a.params_json, '$.from') = ?
         OR json_extract(a.params_json, '$.to') = ?
         OR EXISTS (SELECT 1 FROM json_each(a.params_json, '$.paths') WHERE value = ?)
       ) LIMIT 1`,
    );
    this.selectAll = db.prepare<[number], ActionRow>(
      `SELECT ${ACTION_COLUMNS} FROM pending_actions WHERE account_id = ? ORDER BY id`,
    );
  }

  /** Queues one action; call inside the transaction that changes the store. */
  enqueue(action: NewPendingAction, now: number = Date.now()): number {
    const result = this.insertAction.run(action.accountId, action.kind, JSON.stringify(action.params), now);
    const id = Number(result.lastInsertRowid);
    for (const item of action.messages) {
      this.insertItem.run(
        id,
        item.messageId,
        item.folderPath,
        item.uid,
        item.targetMessageId,
        action.accountId,
        item.folderPath,
      );
    }
    return id;
  }

  /** The oldest action of the account still to be sent, with its messages. */
  next(accountId: AccountId): PendingAction | null {
    const row = this.selectNext.get(accountId);
    return row ? this.withItems(row) : null;
  }

  /** Every action of the account, failed ones too, oldest first (tests and diagnosis). */
  list(accountId: AccountId): PendingAction[] {
    return this.selectAll.all(accountId).map((row) => this.withItems(row));
  }

  /**
   * Committed before the command goes out: after a crash, 'sending' says the server may already
   * have done it, so the replay must not add what cannot be undone (an APPEND of a copy).
   */
  markSending(id: number): void {
    this.updateState.run('sending', id);
  }

  /** Records a refusal; `giveUp` keeps the action for diagnosis but stops replaying it. */
  recordFailure(id: number, error: string, giveUp: boolean): void {
    this.updateFailure.run(giveUp ? 'failed' : 'pending', error.slice(0, MAX_ERROR_TEXT), id);
  }

  /**
   * The server did it: drop the action and hand the UIDs it learned to the later actions that
   * touch the same messages and to the messages' rows, all in one transaction.
   */
  complete(action: Pick<PendingAction, 'id' | 'accountId'>, learned: readonly LearnedUid[]): void {
    this.db.transaction(() => {
      for (const { messageId, uid } of learned) {
        const nextMove = this.selectNextRelocation.get(messageId, action.accountId, action.id)?.id ?? null;
        this.fillUid.run(uid, messageId, action.id, nextMove ?? Number.MAX_SAFE_INTEGER);
        // A later queued move takes the message elsewhere; then the row's UID stays unknown.
        if (nextMove === null) this.setMessageUid.run(uid, messageId);
      }
      this.deleteAction.run(action.id);
    })();
  }

  /** Actions not yet on the server (failed ones not counted). */
  count(accountId: AccountId): number {
    return this.countOpen.get(accountId)?.n ?? 0;
  }

  /** Local messages with a change still queued: the sync must not overwrite their flags or place. */
  messageIds(accountId: AccountId): Set<MessageId> {
    return new Set(this.selectOpenMessages.all(accountId, accountId).map((row) => asMessageId(row.id)));
  }

  /** Whether a queued action concerns this folder (its messages, or the folder itself). */
  touchesFolder(accountId: AccountId, path: string): boolean {
    return this.selectTouching.get(accountId, path, path, path, path, path, path) !== undefined;
  }

  /** Accounts with something to send. */
  accounts(): AccountId[] {
    return this.selectAccounts.all().map((row) => asAccountId(row.account_id));
  }

  private withItems(row: ActionRow): PendingAction {
    return {
      id: row.id,
      accountId: asAccountId(row.account_id),
      kind: toKind(row.kind),
      params: toParams(row.params_json),
      state: row.state === 'sending' ? 'sending' : row.state === 'failed' ? 'failed' : 'pending',
      attempts: row.attempts,
      lastError: row.last_error,
      createdMs: row.created_ms,
      messages: this.selectItems.all(row.id).map((item) => ({
        messageId: asMessageId(item.message_id),
        folderPath: item.folder_path,
        uid: item.uid,
        targetMessageId: item.target_message_id === null ? null : asMessageId(item.target_message_id),
        uidValidity: item.uidvalidity,
      })),
    };
  }
}
