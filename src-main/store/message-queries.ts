/**
 * List queries that span folders or group a thread: the unified "All Inboxes" list and the
 * conversation view. Like MessagesRepo.page they read one page of ids in SQL (nothing is sorted
 * in JavaScript) and then only that page's rows.
 */
import type { FolderId, MessageId } from '../domain/ids';
import type { MessageSummary } from '../domain/message';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';
import { checkPageWindow, DEFAULT_PAGE_SORT, type PageSort } from './messages-repo';
import { MESSAGE_COLUMNS, toSummary, type MessageRowData } from './message-rows';

/** A thread in the conversation view: its newest message stands for it. */
export interface ThreadSummary {
  latest: MessageSummary;
  /** Messages of the thread in the listed folders. */
  size: number;
  unread: number;
}

export interface ScopedPage<Row> {
  total: number;
  rows: Row[];
}

/** Fixed SQL fragments chosen by enum value: nothing from a caller is pasted into SQL. */
const SORT_COLUMN: Readonly<Record<PageSort['by'], string>> = {
  date: 'date_ms',
  sender: 'sort_sender',
  subject: 'sort_subject',
  size: 'size',
};
/** A thread sorts by its newest date, its first sender/subject, its total size. */
const THREAD_SORT: Readonly<Record<PageSort['by'], string>> = {
  date: 'MAX(date_ms)',
  sender: 'MIN(sort_sender)',
  subject: 'MIN(sort_subject)',
  size: 'SUM(size)',
};
/** Threads larger than this show their newest messages only when expanded. */
export const MAX_THREAD_MEMBERS = 1_000;

const IN_FOLDERS = 'folder_id IN (SELECT value FROM json_each(?))';

type PageParams = [string, number, number];

export class MessageQueries {
  private readonly pageStatements = new Map<string, Statement<PageParams, { id: number }>>();
  private readonly threadStatements = new Map<
    string,
    Statement<PageParams, { thread_key: string; size: number; unread: number }>
  >();
  private readonly selectByIds;
  private readonly countThreads;
  private readonly latestOfThread;
  private readonly threadMembers;
  private readonly threadKeysOf;

  constructor(private readonly db: SqliteDatabase) {
    this.selectByIds = db.prepare<[string], MessageRowData>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.countThreads = db.prepare<[string], { n: number }>(
      `SELECT COUNT(DISTINCT thread_key) AS n FROM messages WHERE ${IN_FOLDERS}`,
    );
    this.latestOfThread = db.prepare<[string, string], { id: number }>(
      `SELECT id FROM messages WHERE thread_key = ? AND ${IN_FOLDERS} ORDER BY date_ms DESC, id DESC LIMIT 1`,
    );
    this.threadMembers = db.prepare<[string, string, number], { id: number }>(
      `SELECT id FROM messages WHERE thread_key = ? AND ${IN_FOLDERS} ORDER BY date_ms ASC, id ASC LIMIT ?`,
    );
    this.threadKeysOf = db.prepare<[string], { thread_key: string }>(
      `SELECT DISTINCT thread_key FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
    );
  }

  /** One page of the messages of several folders together (the unified Inbox), in one order. */
  pageAcross(
    folderIds: readonly FolderId[],
    totalCount: number,
    offset: number,
    limit: number,
    sort: PageSort = DEFAULT_PAGE_SORT,
  ): ScopedPage<MessageSummary> {
    checkPageWindow(offset, limit);
    if (folderIds.length === 0) return { total: 0, rows: [] };
    const ids = this.pageIds(sort).all(JSON.stringify(folderIds), limit, offset);
    return { total: totalCount, rows: this.rowsInOrder(ids.map((row) => row.id)) };
  }

  /** One page of threads (one row each, its newest message) over the given folders. */
  threadPage(
    folderIds: readonly FolderId[],
    offset: number,
    limit: number,
    sort: PageSort = DEFAULT_PAGE_SORT,
  ): ScopedPage<ThreadSummary> {
    checkPageWindow(offset, limit);
    if (folderIds.length === 0) return { total: 0, rows: [] };
    const scope = JSON.stringify(folderIds);
    const total = this.countThreads.get(scope)?.n ?? 0;
    const threads = this.threadIds(sort).all(scope, limit, offset);
    const latestIds = threads.map((thread) => this.latestOfThread.get(thread.thread_key, scope)?.id ?? 0);
    const byId = new Map(this.rowsInOrder(latestIds).map((row) => [row.id as number, row]));
    const rows: ThreadSummary[] = [];
    threads.forEach((thread, index) => {
      const latest = byId.get(latestIds[index] ?? 0);
      if (latest) rows.push({ latest, size: thread.size, unread: thread.unread });
    });
    return { total, rows };
  }

  /** Every message (oldest first, bounded) of the threads the given messages belong to. */
  threadMembersOf(messageIds: readonly MessageId[], folderIds: readonly FolderId[]): MessageSummary[] {
    if (messageIds.length === 0 || folderIds.length === 0) return [];
    const scope = JSON.stringify(folderIds);
    const ids: number[] = [];
    for (const { thread_key } of this.threadKeysOf.all(JSON.stringify(messageIds))) {
      for (const row of this.threadMembers.all(thread_key, scope, MAX_THREAD_MEMBERS)) ids.push(row.id);
    }
    return this.rowsInOrder(ids);
  }

  private rowsInOrder(ids: readonly number[]): MessageSummary[] {
    if (ids.length === 0) return [];
    const position = new Map(ids.map((id, index) => [id, index]));
    const rows = this.selectByIds.all(JSON.stringify(ids));
    rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
    return rows.map(toSummary);
  }

  private pageIds(sort: PageSort): Statement<PageParams, { id: number }> {
    const key = `${sort.by}:${sort.direction}`;
    let statement = this.pageStatements.get(key);
    if (!statement) {
      const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
      statement = this.db.prepare<PageParams, { id: number }>(
        `SELECT id FROM messages WHERE ${IN_FOLDERS}
         ORDER BY ${SORT_COLUMN[sort.by]} ${direction}, id ${direction} LIMIT ? OFFSET ?`,
      );
      this.pageStatements.set(key, statement);
    }
    return statement;
  }

  private threadIds(sort: PageSort) {
    const key = `${sort.by}:${sort.direction}`;
    let statement = this.threadStatements.get(key);
    if (!statement) {
      const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
      statement = this.db.prepare<PageParams, { thread_key: string; size: number; unread: number }>(
        `SELECT thread_key, COUNT(*) AS size, SUM(1 - is_seen) AS unread FROM messages WHERE ${IN_FOLDERS}
         GROUP BY thread_key ORDER BY ${THREAD_SORT[sort.by]} ${direction}, thread_key ${direction}
         LIMIT ? OFFSET ?`,
      );
      this.threadStatements.set(key, statement);
    }
    return statement;
  }
}
