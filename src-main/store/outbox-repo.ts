/**
 * The outbox table (migration 005): one row per message the user sent, from "Send" until the
 * server accepted it and its Sent copy is saved. The engine (sync/outbox) moves rows through the
 * states; each change is its own committed statement, so a crash leaves the last state written.
 */
import { MailError } from '../domain/errors';
import { asAccountId, asMessageId, type AccountId, type MessageId } from '../domain/ids';
import type { SqliteDatabase } from './db';

export const OUTBOX_STATES = ['queued', 'sending', 'data', 'sent', 'failed', 'unknown'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxError {
  code: string;
  message: string;
  detail: string | null;
}

export interface OutboxItem {
  id: number;
  accountId: AccountId;
  messageId: MessageId | null;
  emlPath: string;
  messageIdHeader: string;
  envelopeFrom: string;
  recipients: string[];
  subject: string;
  size: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  error: OutboxError | null;
  serverResponse: string | null;
  original: { messageId: MessageId; kind: 'answered' | 'forwarded' } | null;
  draftMessageIdHeader: string | null;
  createdAt: number;
  sentAt: number | null;
  isSentCopySaved: boolean;
}

export interface NewOutboxItem {
  accountId: AccountId;
  messageId: MessageId | null;
  emlPath: string;
  messageIdHeader: string;
  envelopeFrom: string;
  recipients: readonly string[];
  subject: string;
  size: number;
  original: { messageId: number; kind: 'answered' | 'forwarded' } | null;
  draftMessageIdHeader: string | null;
  createdAt: number;
}

interface OutboxRow {
  id: number;
  account_id: number;
  message_id: number | null;
  eml_path: string;
  message_id_header: string;
  envelope_from: string;
  recipients_json: string;
  subject: string;
  size: number;
  state: string;
  attempts: number;
  next_attempt_ms: number;
  error_code: string | null;
  error_message: string | null;
  error_detail: string | null;
  server_response: string | null;
  original_message_id: number | null;
  original_kind: string | null;
  draft_message_id_header: string | null;
  created_ms: number;
  sent_ms: number | null;
  sent_copy_saved: number;
}

function stateOf(value: string): OutboxState {
  if ((OUTBOX_STATES as readonly string[]).includes(value)) return value as OutboxState;
  throw new MailError('STORE_CORRUPT', 'The outbox contains a message in an unknown state.', {
    detail: `state ${value}`,
    retryable: false,
  });
}

function recipientsOf(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toItem(row: OutboxRow): OutboxItem {
  const kind =
    row.original_kind === 'answered' || row.original_kind === 'forwarded' ? row.original_kind : null;
  return {
    id: row.id,
    accountId: asAccountId(row.account_id),
    messageId: row.message_id === null ? null : asMessageId(row.message_id),
    emlPath: row.eml_path,
    messageIdHeader: row.message_id_header,
    envelopeFrom: row.envelope_from,
    recipients: recipientsOf(row.recipients_json),
    subject: row.subject,
    size: row.size,
    state: stateOf(row.state),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_ms,
    error:
      row.error_code === null
        ? null
        : { code: row.error_code, message: row.error_message ?? '', detail: row.error_detail },
    serverResponse: row.server_response,
    original:
      row.original_message_id !== null && kind !== null
        ? { messageId: asMessageId(row.original_message_id), kind }
        : null,
    draftMessageIdHeader: row.draft_message_id_header,
    createdAt: row.created_ms,
    sentAt: row.sent_ms,
    isSentCopySaved: row.sent_copy_saved === 1,
  };
}

const COLUMNS =
  'id, account_id, message_id, eml_path, message_id_header, envelope_from, recipients_json, subject, ' +
  'size, state, attempts, next_attempt_ms, error_code, error_message, error_detail, server_response, ' +
  'original_message_id, original_kind, draft_message_id_header, created_ms, sent_ms, sent_copy_saved';

export class OutboxRepo {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  insert(item: NewOutboxItem): OutboxItem {
    const result = this.#db
      .prepare(
        `INSERT INTO outbox (account_id, message_id, eml_path, message_id_header, envelope_from,
           recipients_json, subject, size, state, attempts, next_attempt_ms, original_message_id,
           original_kind, draft_message_id_header, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?)`,
      )
      .run(
        item.accountId,
        item.messageId,
        item.emlPath,
        item.messageIdHeader,
        item.envelopeFrom,
        JSON.stringify(item.recipients),
        item.subject,
        item.size,
        item.createdAt,
        item.original?.messageId ?? null,
        item.original?.kind ?? null,
        item.draftMessageIdHeader,
        item.createdAt,
      );
    const created = this.get(Number(result.lastInsertRowid));
    if (!created) throw new MailError('INTERNAL', 'The message could not be put in the outbox.');
    return created;
  }

  get(id: number): OutboxItem | null {
    const row = this.#db.prepare<[number], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`).get(id);
    return row ? toItem(row) : null;
  }

  list(): OutboxItem[] {
    return this.#db
      .prepare<[], OutboxRow>(`SELECT ${COLUMNS} FROM outbox ORDER BY created_ms, id`)
      .all()
      .map(toItem);
  }

  /** The next item whose turn has come: queued and due, or sent with its follow-up due. */
  nextDue(now: number): OutboxItem | null {
    const row = this.#db
      .prepare<[number], OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox WHERE state IN ('queued', 'sent') AND next_attempt_ms <= ?
         ORDER BY next_attempt_ms, id LIMIT 1`,
      )
      .get(now);
    return row ? toItem(row) : null;
  }

  /** When the earliest waiting item is due, or null when nothing waits. */
  nextWakeAt(): number | null {
    const row = this.#db
      .prepare<[], { at: number | null }>(
        `SELECT min(next_attempt_ms) AS at FROM outbox WHERE state IN ('queued', 'sent')`,
      )
      .get();
    return row?.at ?? null;
  }

  /** An attempt starts: nothing has been sent yet. */
  markSending(id: number): void {
    this.#db
      .prepare(
        `UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'queued'`,
      )
      .run(id);
  }

  /** The content starts to go out (after 354): from here a lost connection means "unknown". */
  markData(id: number): void {
    this.#db.prepare(`UPDATE outbox SET state = 'data' WHERE id = ?`).run(id);
  }

  markSent(id: number, response: string, now: number): void {
    this.#db
      .prepare(
        `UPDATE outbox SET state = 'sent', server_response = ?, sent_ms = ?, next_attempt_ms = ?,
           error_code = NULL, error_message = NULL, error_detail = NULL WHERE id = ?`,
      )
      .run(response, now, now, id);
  }

  /** Back to waiting (a retryable failure, or the user's "Retry"), with what went wrong. */
  markQueued(id: number, nextAttemptAt: number, error: OutboxError | null): void {
    this.#db
      .prepare(
        `UPDATE outbox SET state = 'queued', next_attempt_ms = ?, error_code = ?, error_message = ?,
           error_detail = ? WHERE id = ?`,
      )
      .run(nextAttemptAt, error?.code ?? null, error?.message ?? null, error?.detail ?? null, id);
  }

  /** Moves a waiting item's next attempt (queued, or sent with follow-ups due) to `at`. */
  markQueuedAt(id: number, at: number): void {
    this.#db
      .prepare(`UPDATE outbox SET next_attempt_ms = ? WHERE id = ? AND state IN ('queued', 'sent')`)
      .run(at, id);
  }

  markSentCopySaved(id: number): void {
    this.#db.prepare(`UPDATE outbox SET sent_copy_saved = 1 WHERE id = ?`).run(id);
  }

  /** A follow-up after sending failed: the item stays 'sent' and is tried again later. */
  postponeFollowUp(id: number, nextAttemptAt: number, error: OutboxError): void {
    this.#db
      .prepare(
        `UPDATE outbox SET next_attempt_ms = ?, error_code = ?, error_message = ?, error_detail = ?
         WHERE id = ? AND state = 'sent'`,
      )
      .run(nextAttemptAt, error.code, error.message, error.detail, id);
  }

  markStopped(id: number, state: 'failed' | 'unknown', error: OutboxError): void {
    this.#db
      .prepare(
        `UPDATE outbox SET state = ?, error_code = ?, error_message = ?, error_detail = ? WHERE id = ?`,
      )
      .run(state, error.code, error.message, error.detail, id);
  }

  /**
   * After a restart: an attempt that had not reached DATA sent nothing and waits again; one that
   * had is of unknown outcome (RFC 5321 §4.1.1.4) and waits for the user.
   */
  recoverInterrupted(now: number): void {
    this.#db
      .prepare(`UPDATE outbox SET state = 'queued', next_attempt_ms = ? WHERE state = 'sending'`)
      .run(now);
    this.#db
      .prepare(
        `UPDATE outbox SET state = 'unknown', error_code = 'CONNECTION_LOST',
           error_message = 'Estafeta stopped while this message was being sent. It may or may not have been delivered.',
           error_detail = NULL WHERE state = 'data'`,
      )
      .run();
  }

  remove(id: number): void {
    this.#db.prepare(`DELETE FROM outbox WHERE id = ?`).run(id);
  }

  /** How many rows still use this .eml file (the Outbox row and the Sent copy may share it). */
  usesOfEml(emlPath: string): number {
    const row = this.#db
      .prepare<[string, string], { n: number }>(
        `SELECT (SELECT count(*) FROM outbox WHERE eml_path = ?) +
                (SELECT count(*) FROM messages WHERE eml_path = ?) AS n`,
      )
      .get(emlPath, emlPath);
    return row?.n ?? 0;
  }
}
