/** The messages table: insert, page a folder, read one, change flags, folder counts. */
import { MailError } from '../domain/errors';
import type { MessageFlags, SettableFlag } from '../domain/flags';
import { asFolderId, asMessageId } from '../domain/ids';
import type { AccountId, FolderId, MessageId } from '../domain/ids';
import { normaliseSubject } from '../domain/message';
import type { Address, MessageSortKey, MessageSummary, SortDirection } from '../domain/message';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';
import { MESSAGE_COLUMNS, sortKey, toStoredMessage, toSummary } from './message-rows';
import type { MessageRowData, ParseState, StoredMessage } from './message-rows';

export interface NewMessage {
  accountId: AccountId;
  folderId: FolderId;
  messageIdHeader: string | null;
  subject: string;
  from: Address | null;
  to: readonly Address[];
  cc: readonly Address[];
  /** Date header, or the arrival time when it has none (ms since the epoch). */
  date: number;
  receivedAt: number;
  size: number;
  flags: MessageFlags;
  hasAttachments: boolean;
  /** domain threadKeyOf(). */
  threadKey: string;
  snippet: string;
  emlPath: string;
  imapUid?: number | null;
  pop3Uidl?: string | null;
  parseState: ParseState;
}

/** What replaceContent rewrites: the fields read from the mail itself. */
export type MessageContent = Pick<
  NewMessage,
  | 'messageIdHeader'
  | 'subject'
  | 'from'
  | 'to'
  | 'cc'
  | 'date'
  | 'size'
  | 'hasAttachments'
  | 'threadKey'
  | 'snippet'
  | 'emlPath'
  | 'parseState'
>;

type ReplaceParams = [
  ...[string | null, string, string | null, string | null, string, string, number, number, number],
  ...[string, string, string, string, string, string, number],
];

export interface PageSort {
  by: MessageSortKey;
  direction: SortDirection;
}

export interface MessagePage {
  /** Messages in the folder, for the list's scroll height. */
  total: number;
  rows: MessageSummary[];
}

export interface FolderCounts {
  unread: number;
  total: number;
}

export interface FlagChange {
  /** Messages whose flag actually changed (already-set ones are not counted). */
  changed: number;
  /** Folders holding those messages: their lists and counts need refreshing. */
  folderIds: FolderId[];
}

export const DEFAULT_PAGE_SORT: PageSort = { by: 'date', direction: 'desc' };
/** The API allows 500 rows per page; the store refuses more so a bad caller cannot stall the UI. */
export const MAX_PAGE_LIMIT = 1_000;

/** Fixed SQL fragments chosen by enum value: nothing from a caller is ever pasted into SQL. */
const SORT_COLUMN: Readonly<Record<MessageSortKey, string>> = {
  date: 'date_ms',
  sender: 'sort_sender',
  subject: 'sort_subject',
  size: 'size',
};
const FLAG_COLUMN: Readonly<Record<SettableFlag, string>> = {
  seen: 'is_seen',
  flagged: 'is_flagged',
  answered: 'is_answered',
  forwarded: 'is_forwarded',
};

// prettier-ignore
type InsertParams = [
  number, number, string | null, string, string | null, string | null, string, string, number, number,
  number, number, number, number, number, number, number, string, number, string, string, string, string,
  string, number | null, string | null, string,
];

const bit = (value: boolean): number => (value ? 1 : 0);

const INSERT_SQL = `INSERT INTO messages (account_id, folder_id, message_id_header, subject, from_name,
    from_addr, to_json, cc_json, date_ms, received_ms, size, is_seen, is_flagged, is_answered,
    is_forwarded, is_draft, is_deleted, keywords_json, has_attachments, thread_key, snippet, sort_sender,
    sort_subject, eml_path, imap_uid, pop3_uidl, parse_state)
  VALUES (${new Array(27).fill('?').join(', ')})`;

export class MessagesRepo {
  private readonly insertRow;
  private readonly insertNewRow;
  private readonly selectById;
  private readonly selectByIds;
  private readonly selectCounts;
  private replaceRow: Statement<ReplaceParams> | undefined;
  private readonly pageIdStatements = new Map<string, Statement<[number, number, number], { id: number }>>();
  private readonly flagStatements = new Map<
    SettableFlag,
    Statement<[number, string, number], { folder_id: number }>
  >();

  constructor(private readonly db: SqliteDatabase) {
    this.insertRow = db.prepare<InsertParams>(INSERT_SQL);
    // The unique (folder, UID) and (account, UIDL) indexes decide, in the same B-tree descent as
    // the insert itself, instead of a lookup before every row.
    this.insertNewRow = db.prepare<InsertParams>(`${INSERT_SQL} ON CONFLICT DO NOTHING`);
    this.selectById = db.prepare<[number], MessageRowData>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`,
    );
    this.selectByIds = db.prepare<[string], MessageRowData>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.selectCounts = db.prepare<[string], { folder_id: number; total: number; unread: number }>(
      `SELECT folder_id, total, unread FROM folder_counts WHERE folder_id IN (SELECT value FROM json_each(?))`,
    );
  }

  insert(message: NewMessage): MessageId {
    const result = this.insertRow.run(...insertParams(message));
    return asMessageId(Number(result.lastInsertRowid));
  }

  /**
   * Inserts unless a row with the same IMAP UID in the folder (or POP3 UIDL in the account) is
   * stored already: then nothing changes and the result is null. The sync's bulk path, where a
   * retry after a cut connection meets rows committed before the cut.
   */
  insertIfNew(message: NewMessage): MessageId | null {
    const result = this.insertNewRow.run(...insertParams(message));
    return result.changes === 0 ? null : asMessageId(Number(result.lastInsertRowid));
  }

  /**
   * Gives a stored message new content under the same id (a POP3 message first stored as headers
   * only, then downloaded in full): everything read from the mail changes, flags and folder stay.
   * Returns false when there is no such message. Reindex its search text in the same transaction.
   */
  replaceContent(id: MessageId, content: MessageContent): boolean {
    this.replaceRow ??= this.db.prepare<ReplaceParams>(
      `UPDATE messages SET message_id_header = ?, subject = ?, from_name = ?, from_addr = ?, to_json = ?,
         cc_json = ?, date_ms = ?, size = ?, has_attachments = ?, thread_key = ?, snippet = ?,
         sort_sender = ?, sort_subject = ?, eml_path = ?, parse_state = ?
       WHERE id = ?`,
    );
    const result = this.replaceRow.run(
      content.messageIdHeader,
      content.subject,
      content.from?.name ?? null,
      content.from?.address ?? null,
      JSON.stringify(content.to),
      JSON.stringify(content.cc),
      content.date,
      content.size,
      bit(content.hasAttachments),
      content.threadKey,
      content.snippet,
      sortKey(content.from ? content.from.name || content.from.address : ''),
      sortKey(normaliseSubject(content.subject)),
      content.emlPath,
      content.parseState,
      id,
    );
    return result.changes > 0;
  }

  get(id: MessageId): StoredMessage | null {
    const row = this.selectById.get(id);
    return row ? toStoredMessage(row) : null;
  }

  /**
   * One page of a folder in the given order. The OFFSET skip runs on the sort index alone (the id
   * sub-select is covered by (folder_id, key, rowid)), and only the page's rows are read from the
   * table, so offset 90,000 of 100,000 costs about as much as offset 0 plus an index walk.
   */
  page(folderId: FolderId, offset: number, limit: number, sort: PageSort = DEFAULT_PAGE_SORT): MessagePage {
    checkPageWindow(offset, limit);
    const total = this.countsFor([folderId]).get(folderId)?.total ?? 0;
    const ids = this.pageIds(sort).all(folderId, limit, offset);
    if (ids.length === 0) return { total, rows: [] };
    const position = new Map(ids.map((row, index) => [row.id, index]));
    const rows = this.selectByIds.all(JSON.stringify(ids.map((row) => row.id)));
    rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
    return { total, rows: rows.map(toSummary) };
  }

  private pageIds(sort: PageSort): Statement<[number, number, number], { id: number }> {
    const key = `${sort.by}:${sort.direction}`;
    let statement = this.pageIdStatements.get(key);
    if (!statement) {
      const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
      statement = this.db.prepare<[number, number, number], { id: number }>(
        `SELECT id FROM messages WHERE folder_id = ?
         ORDER BY ${SORT_COLUMN[sort.by]} ${direction}, id ${direction} LIMIT ? OFFSET ?`,
      );
      this.pageIdStatements.set(key, statement);
    }
    return statement;
  }

  /** Sets or clears one flag on many messages in one statement; the counters follow by trigger. */
  setFlags(ids: readonly MessageId[], flag: SettableFlag, value: boolean): FlagChange {
    if (ids.length === 0) return { changed: 0, folderIds: [] };
    let statement = this.flagStatements.get(flag);
    if (!statement) {
      const column = FLAG_COLUMN[flag];
      statement = this.db.prepare<[number, string, number], { folder_id: number }>(
        `UPDATE messages SET ${column} = ? WHERE id IN (SELECT value FROM json_each(?)) AND ${column} <> ?
         RETURNING folder_id`,
      );
      this.flagStatements.set(flag, statement);
    }
    const changedRows = statement.all(bit(value), JSON.stringify(ids), bit(value));
    const folderIds = [...new Set(changedRows.map((row) => row.folder_id))].sort((a, b) => a - b);
    return { changed: changedRows.length, folderIds: folderIds.map(asFolderId) };
  }

  countsFor(folderIds: readonly FolderId[]): Map<FolderId, FolderCounts> {
    const counts = new Map<FolderId, FolderCounts>();
    if (folderIds.length === 0) return counts;
    for (const row of this.selectCounts.all(JSON.stringify(folderIds))) {
      counts.set(asFolderId(row.folder_id), { unread: row.unread, total: row.total });
    }
    return counts;
  }
}

function insertParams(message: NewMessage): InsertParams {
  const { flags } = message;
  return [
    message.accountId,
    message.folderId,
    message.messageIdHeader,
    message.subject,
    message.from?.name ?? null,
    message.from?.address ?? null,
    JSON.stringify(message.to),
    JSON.stringify(message.cc),
    message.date,
    message.receivedAt,
    message.size,
    bit(flags.seen),
    bit(flags.flagged),
    bit(flags.answered),
    bit(flags.forwarded),
    bit(flags.draft),
    bit(flags.deleted),
    JSON.stringify(flags.keywords),
    bit(message.hasAttachments),
    message.threadKey,
    message.snippet,
    sortKey(message.from ? message.from.name || message.from.address : ''),
    sortKey(normaliseSubject(message.subject)),
    message.emlPath,
    message.imapUid ?? null,
    message.pop3Uidl ?? null,
    message.parseState,
  ];
}

/** A page request the list can serve: a whole offset from 0 and 1..MAX_PAGE_LIMIT rows. */
export function checkPageWindow(offset: number, limit: number): void {
  if (
    !Number.isInteger(offset) ||
    offset < 0 ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > MAX_PAGE_LIMIT
  ) {
    throw new MailError('BAD_REQUEST', 'That part of the message list cannot be shown.', {
      detail: `offset ${offset}, limit ${limit}`,
    });
  }
}
