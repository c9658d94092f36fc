/**
 * The full-text index (FTS5, contentless; see 001-initial.sql for why) and the queries over it.
 * A message's FTS rowid is its search key, (date in seconds << 30) | id (007-search.sql), so FTS5
 * returns matches newest first by itself. Import and POP3 index a message in the same transaction
 * as its row; every other new or changed message is listed in search_pending for the background
 * indexer, so search never misses mail whichever path brought it in.
 */
import type { FolderId, MessageId } from '../domain/ids';
import type { Address, MessageSummary } from '../domain/message';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';
import { MESSAGE_COLUMNS, toSummary } from './message-rows';
import { cjkForIndex, cjkForQuery } from './search-cjk';
import type { MessageRowData } from './message-rows';

export interface SearchDocument {
  subject: string;
  from: readonly Address[];
  to: readonly Address[];
  cc: readonly Address[];
  body: string;
  attachmentNames: readonly string[];
}

export interface SearchOptions {
  folderId?: FolderId;
  limit?: number;
}

/**
 * A query as the store runs it (built by search/query-plan.ts). `match` is an FTS5 expression that
 * drives the search, or null to walk the messages table; each condition is a fixed SQL template on
 * the messages row `m` whose values are all bound parameters; `dateRange` is [fromMs, toMs).
 */
export interface SqlCondition {
  sql: string;
  params: ReadonlyArray<string | number>;
}

export interface SearchPlan {
  match: string | null;
  conditions: readonly SqlCondition[];
  dateRange: { fromMs: number | null; toMs: number | null } | null;
}

export type SearchOrder = 'date' | 'relevance';

export interface SearchCount {
  total: number;
  /** True when counting stopped at the cap: there are more than `total` results. */
  isCapped: boolean;
}

/** The count and first results of a query from one walk (SearchIndex.walk). */
export interface SearchWalk {
  count: SearchCount;
  /** The first matches, newest first (at most the cap). */
  ids: number[];
  /** `ids` holds every match. */
  isAll: boolean;
}

export const DEFAULT_SEARCH_LIMIT = 200;
/** Words beyond this in one query are ignored: a pasted paragraph is not a search. */
const MAX_QUERY_TERMS = 32;
/** Results listed for one query: enough for any list a person scrolls, bounded for "a" or "the". */
export const MAX_RESULTS = 50_000;
/** Prepared statements kept per query shape (plans differ only in their number of conditions). */
const MAX_CACHED_STATEMENTS = 64;
/**
 * Ranking: bm25 with per-column weights in the order of the FTS columns (subject, from, to, cc,
 * body, attachment_names): a word in the subject or sender counts more than one deep in the body.
 */
const RANK = 'bm25(messages_fts, 6.0, 4.0, 2.0, 1.0, 1.0, 2.0)';
const ID_MASK = 1073741823;
/** messages.id from a search key (the low 30 bits). */
const ID_OF_KEY = `(messages_fts.rowid & ${ID_MASK})`;
/** FTS candidates examined per result counted when filters need a row lookup each (see count). */
const CANDIDATES_PER_COUNTED = 4;
/** A prefix term in an FTS5 expression as fts-expression.ts writes it (`"budg" *`). */
const PREFIX_IN_MATCH = /" \*/;
/** The search key of a messages row; keep in step with 007-search.sql. */
const KEY_OF_ROW = '((max(0, min(date_ms / 1000, 4294967295)) << 30) | (id & 1073741823))';
/** The smallest key of a moment given in ms (bound parameter). */
const KEY_FLOOR_OF_MS = '(max(0, min(CAST(? AS INTEGER) / 1000, 4294967295)) << 30)';

function addressText(addresses: readonly Address[]): string {
  return cjkForIndex(addresses.map((a) => (a.name ? `${a.name} ${a.address}` : a.address)).join(', '));
}

/**
 * Plain words -> an FTS5 query: every word must match (implicit AND), each quoted so that FTS5
 * syntax characters in user input are just text, and the last one as a prefix (search as you type).
 * The query language with operators is search/query-parser.ts.
 */
export function toFtsQuery(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .map((term) => term.replace(/"/g, '""'))
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return null;
  return terms
    .map((term, index) => {
      const { text, isPrefix } = cjkForQuery(term, index === terms.length - 1);
      return `"${text}"${isPrefix ? '*' : ''}`;
    })
    .join(' ');
}

interface BuiltQuery {
  /** FROM ... WHERE ... without ORDER BY. */
  body: string;
  params: Array<string | number>;
  /** Driven by FTS5 with no table lookups (no conditions): the ids come from the keys. */
  isIndexOnly: boolean;
  /** For FTS driven queries with conditions: the conditions on `m`, apart from the FTS part. */
  filter: SqlCondition | null;
  /** FROM messages_fts WHERE <match and key range>, and its parameters. */
  ftsBody: string;
  ftsParams: Array<string | number>;
}

export class SearchIndex {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly clearPending;
  private readonly searchAll;
  private readonly searchFolder;
  private readonly selectPending;
  private readonly countPending;
  private readonly selectRowsByIds;
  private readonly selectChanges;
  private readonly selectSortedByDate;
  private readonly selectIdsForUids;
  private readonly selectAnyBodyless;
  private readonly selectFolderBodyless;
  private readonly statements = new Map<string, Statement<unknown[], { id: number }>>();
  /** Plucked id statements of walk(), by their FROM ... WHERE. */
  private readonly walkStatements = new Map<string, Statement<unknown[], number>>();
  private readonly countStatements = new Map<
    string,
    Statement<unknown[], { n: number; candidates?: number }>
  >();

  constructor(private readonly db: SqliteDatabase) {
    // Keyed from the row itself: a message that is gone by now is simply not indexed.
    this.insertRow = db.prepare<[string, string, string, string, string, string, number]>(
      `INSERT INTO messages_fts (rowid, subject, "from", "to", cc, body, attachment_names)
       SELECT ${KEY_OF_ROW}, ?, ?, ?, ?, ?, ? FROM messages WHERE id = ?`,
    );
    this.deleteRow = db.prepare<[number]>(
      `DELETE FROM messages_fts WHERE rowid = (SELECT ${KEY_OF_ROW} FROM messages WHERE id = ?)`,
    );
    this.clearPending = db.prepare<[number]>('DELETE FROM search_pending WHERE message_id = ?');
    const select = `SELECT ${MESSAGE_COLUMNS.split(', ')
      .map((c) => `m.${c}`)
      .join(', ')}
      FROM messages_fts JOIN messages m ON m.id = ${ID_OF_KEY}
      WHERE messages_fts MATCH ?`;
    this.searchAll = db.prepare<[string, number], MessageRowData>(
      `${select} ORDER BY messages_fts.rowid DESC LIMIT ?`,
    );
    this.searchFolder = db.prepare<[string, number, number], MessageRowData>(
      `${select} AND m.folder_id = ? ORDER BY messages_fts.rowid DESC LIMIT ?`,
    );
    this.selectPending = db.prepare<[number], { message_id: number }>(
      'SELECT message_id FROM search_pending ORDER BY message_id DESC LIMIT ?',
    );
    this.countPending = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM search_pending');
    this.selectRowsByIds = db.prepare<[string], MessageRowData>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.selectChanges = db.prepare<[], { n: number }>('SELECT total_changes() AS n');
    this.selectSortedByDate = db.prepare<[string], { id: number }>(
      `SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY date_ms DESC, id DESC`,
    );
    this.selectIdsForUids = db.prepare<[number, string], { id: number }>(
      `SELECT id FROM messages WHERE folder_id = ? AND imap_uid IN (SELECT value FROM json_each(?))`,
    );
    this.selectAnyBodyless = db.prepare<[], { one: number }>(
      `SELECT 1 AS one FROM messages WHERE eml_path = '' AND imap_uid IS NOT NULL LIMIT 1`,
    );
    this.selectFolderBodyless = db.prepare<[number], { one: number }>(
      `SELECT 1 AS one FROM messages WHERE folder_id = ? AND eml_path = '' AND imap_uid IS NOT NULL LIMIT 1`,
    );
  }

  /** Adds a new message's text. Call inside the transaction that inserts the row (after it). */
  index(id: MessageId, document: SearchDocument): void {
    this.insertRow.run(
      cjkForIndex(document.subject),
      addressText(document.from),
      addressText(document.to),
      addressText(document.cc),
      cjkForIndex(document.body),
      cjkForIndex(document.attachmentNames.join('\n')),
      id,
    );
    this.clearPending.run(id);
  }

  /** Replaces the text of a message that was indexed before (or not: deleting a missing rowid is a no-op). */
  reindex(id: MessageId, document: SearchDocument): void {
    this.deleteRow.run(id);
    this.index(id, document);
  }

  remove(id: MessageId): void {
    this.deleteRow.run(id);
    this.clearPending.run(id);
  }

  /** Newest first. An empty or punctuation-only query finds nothing. */
  search(text: string, options: SearchOptions = {}): MessageSummary[] {
    const query = toFtsQuery(text);
    if (query === null) return [];
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    const rows =
      options.folderId === undefined
        ? this.searchAll.all(query, limit)
        : this.searchFolder.all(query, options.folderId, limit);
    return rows.map(toSummary);
  }

  // ---------------------------------------------------------------- the query language's plans

  /**
   * One page of the plan's matches, as ids: newest first (a walk down the index that stops after
   * the page), or best match first, then newest.
   */
  pageIds(
    plan: SearchPlan,
    order: SearchOrder,
    offset: number,
    limit: number,
    folderId?: FolderId,
  ): number[] {
    const built = this.build(plan, folderId);
    let orderBy: string;
    if (plan.match === null) orderBy = 'm.date_ms DESC, m.id DESC';
    else if (order === 'relevance') orderBy = `${RANK}, messages_fts.rowid DESC`;
    else orderBy = 'messages_fts.rowid DESC';
    const select = plan.match !== null && built.isIndexOnly ? `${ID_OF_KEY} AS id` : 'm.id AS id';
    return this.statement(`SELECT ${select} ${built.body} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
      .all(...built.params, limit, offset)
      .map((row) => row.id);
  }

  /**
   * How many messages match, counting at most `cap` (then isCapped): a count stops as soon as it
   * passes the cap, so "the" over 100,000 messages costs what 2,000 cost. Callers ask again with a
   * larger cap as the user scrolls towards the end.
   */
  count(plan: SearchPlan, cap: number, folderId?: FolderId): SearchCount {
    const limit = Math.max(1, Math.floor(cap));
    const built = this.build(plan, folderId);
    if (built.filter === null) {
      const n =
        this.countStatement(`SELECT count(*) AS n FROM (SELECT 1 ${built.body} LIMIT ?)`).get(
          ...built.params,
          limit + 1,
        )?.n ?? 0;
      return { total: Math.min(n, limit), isCapped: n > limit };
    }
    // Text plus filters: every FTS candidate costs a row lookup, and a selective filter (a few
    // flagged messages among thousands with the word) would make the count read them all. So only
    // the newest CANDIDATES_PER_COUNTED × cap candidates are examined; when they run out before
    // the matches do, the count is a lower bound ("more"), and a larger cap examines further.
    const budget = limit * CANDIDATES_PER_COUNTED;
    const row = this.countStatement(
      `SELECT count(*) AS candidates, total(CASE WHEN ${built.filter.sql} THEN 1 ELSE 0 END) AS n
       FROM (SELECT messages_fts.rowid AS key ${built.ftsBody} ORDER BY messages_fts.rowid DESC LIMIT ?) f
       JOIN messages m ON m.id = (f.key & ${ID_MASK})`,
    ).get(...built.filter.params, ...built.ftsParams, budget);
    const n = row?.n ?? 0;
    return { total: Math.min(n, limit), isCapped: n > limit || (row?.candidates ?? 0) >= budget };
  }

  /**
   * The count and the first results newest first from one walk down the index, for a query of
   * words with a prefix (budg*): what count() and the first pageIds() would read, read once. FTS5
   * expands a prefix into every word it starts and merges their lists in memory on each read, so
   * reading once halves the cost (35 -> 14 ms at 100,000 messages). Null otherwise: for plain words
   * count() in SQL plus a page of 100 costs about the same or less than carrying a thousand ids
   * to JavaScript, and with row conditions the walk would carry every candidate's row. The ids are
   * the first matches in order; `isAll` says they are every match.
   */
  walk(plan: SearchPlan, cap: number, folderId?: FolderId): SearchWalk | null {
    if (plan.match === null || !PREFIX_IN_MATCH.test(plan.match)) return null;
    const built = this.build(plan, folderId);
    if (built.filter !== null) return null;
    const limit = Math.max(1, Math.floor(cap));
    let statement = this.walkStatements.get(built.ftsBody);
    if (!statement) {
      if (this.walkStatements.size >= MAX_CACHED_STATEMENTS) this.walkStatements.clear();
      statement = this.db
        .prepare<unknown[], number>(
          `SELECT ${ID_OF_KEY} ${built.ftsBody} ORDER BY messages_fts.rowid DESC LIMIT ?`,
        )
        .pluck();
      this.walkStatements.set(built.ftsBody, statement);
    }
    const ids = statement.all(...built.ftsParams, limit + 1);
    return {
      count: { total: Math.min(ids.length, limit), isCapped: ids.length > limit },
      ids: ids.length > limit ? ids.slice(0, limit) : ids,
      isAll: ids.length <= limit,
    };
  }

  /** Every match (at most MAX_RESULTS) newest first; for merging server results. */
  allIds(plan: SearchPlan, order: SearchOrder, folderId?: FolderId): number[] {
    return this.pageIds(plan, order, 0, MAX_RESULTS, folderId);
  }

  private build(plan: SearchPlan, folderId: FolderId | undefined): BuiltQuery {
    const conditions = [...plan.conditions];
    if (folderId !== undefined) conditions.unshift({ sql: 'm.folder_id = ?', params: [folderId] });
    const ftsWhere: string[] = [];
    const ftsParams: Array<string | number> = [];
    if (plan.match !== null) {
      ftsWhere.push('messages_fts MATCH ?');
      ftsParams.push(plan.match);
      // [fromMs, toMs) as a key range: both bounds are local midnights, whole seconds.
      if (plan.dateRange?.fromMs != null) {
        ftsWhere.push(`messages_fts.rowid >= ${KEY_FLOOR_OF_MS}`);
        ftsParams.push(plan.dateRange.fromMs);
      }
      if (plan.dateRange?.toMs != null) {
        ftsWhere.push(`messages_fts.rowid < ${KEY_FLOOR_OF_MS}`);
        ftsParams.push(plan.dateRange.toMs);
      }
    } else {
      if (plan.dateRange?.fromMs != null)
        conditions.push({ sql: 'm.date_ms >= ?', params: [plan.dateRange.fromMs] });
      if (plan.dateRange?.toMs != null)
        conditions.push({ sql: 'm.date_ms < ?', params: [plan.dateRange.toMs] });
    }
    const filter: SqlCondition | null =
      conditions.length === 0
        ? null
        : {
            sql: conditions.map((condition) => `(${condition.sql})`).join(' AND '),
            params: conditions.flatMap((condition) => [...condition.params]),
          };
    const ftsBody = `FROM messages_fts WHERE ${ftsWhere.join(' AND ')}`;
    if (plan.match === null) {
      return {
        body: `FROM messages m${filter ? ` WHERE ${filter.sql}` : ''}`,
        params: [...(filter?.params ?? [])],
        isIndexOnly: false,
        filter: null,
        ftsBody,
        ftsParams,
      };
    }
    if (filter === null)
      return { body: ftsBody, params: ftsParams, isIndexOnly: true, filter, ftsBody, ftsParams };
    return {
      body: `FROM messages_fts JOIN messages m ON m.id = ${ID_OF_KEY} WHERE ${ftsWhere.join(' AND ')} AND ${filter.sql}`,
      params: [...ftsParams, ...filter.params],
      isIndexOnly: false,
      filter,
      ftsBody,
      ftsParams,
    };
  }

  /** The summaries of these messages for a result list, in the given order (deleted ones left out). */
  rowsByIds(ids: readonly number[]): MessageSummary[] {
    if (ids.length === 0) return [];
    const byId = new Map(this.selectRowsByIds.all(JSON.stringify(ids)).map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toSummary(row)] : [];
    });
  }

  /** The local ids of these UIDs in an IMAP folder (UIDs not stored here are left out). */
  idsForUids(folderId: FolderId, uids: readonly number[]): number[] {
    if (uids.length === 0) return [];
    return this.selectIdsForUids.all(folderId, JSON.stringify(uids)).map((row) => row.id);
  }

  /** These messages newest first (deleted ones left out). */
  sortByDate(ids: readonly number[]): number[] {
    if (ids.length === 0) return [];
    return this.selectSortedByDate.all(JSON.stringify(ids)).map((row) => row.id);
  }

  /**
   * Whether the folder (or any folder) holds IMAP messages whose bodies are still on the server
   * (eml_path '' per 003-imap-sync.sql): only their headers are indexed, so a server search can
   * find more.
   */
  hasBodiesOnServer(folderId?: FolderId): boolean {
    const row =
      folderId === undefined ? this.selectAnyBodyless.get() : this.selectFolderBodyless.get(folderId);
    return row !== undefined;
  }

  /**
   * Grows with every row this connection inserts, updates or deletes (SQLite total_changes()):
   * the store is the only writer, so an unchanged value means cached counts are still right.
   */
  changeStamp(): number {
    return this.selectChanges.get()?.n ?? 0;
  }

  // ---------------------------------------------------------------- background indexing

  /** Messages waiting to be indexed, newest first (recent mail is searched for most). */
  pending(limit: number): MessageId[] {
    return this.selectPending.all(limit).map((row) => row.message_id as MessageId);
  }

  pendingCount(): number {
    return this.countPending.get()?.n ?? 0;
  }

  /** Empties the index and lists every message for indexing again (a full rebuild). */
  resetAll(): number {
    this.db.exec(`INSERT INTO messages_fts (messages_fts) VALUES ('delete-all')`);
    this.db.exec('INSERT OR IGNORE INTO search_pending (message_id) SELECT id FROM messages');
    return this.pendingCount();
  }

  /** Leaves a message off the pending list without indexing it (it no longer exists). */
  clear(id: MessageId): void {
    this.clearPending.run(id);
  }

  private statement(sql: string): Statement<unknown[], { id: number }> {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare<unknown[], { id: number }>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private countStatement(sql: string): Statement<unknown[], { n: number; candidates?: number }> {
    let statement = this.countStatements.get(sql);
    if (!statement) {
      if (this.countStatements.size >= MAX_CACHED_STATEMENTS) this.countStatements.clear();
      statement = this.db.prepare<unknown[], { n: number; candidates?: number }>(sql);
      this.countStatements.set(sql, statement);
    }
    return statement;
  }
}
