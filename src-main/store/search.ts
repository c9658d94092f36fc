/**
 * The full-text index (FTS5, contentless; see 001-initial.sql for why). Rows are keyed by
 * messages.id. A message is indexed in the same transaction as its row, so search never finds a
 * message the list does not have.
 */
import type { FolderId, MessageId } from '../domain/ids';
import type { Address, MessageSummary } from '../domain/message';
import type { SqliteDatabase } from './db';
import { MESSAGE_COLUMNS, toSummary } from './message-rows';
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

export const DEFAULT_SEARCH_LIMIT = 200;
/** Words beyond this in one query are ignored: a pasted paragraph is not a search. */
const MAX_QUERY_TERMS = 32;

function addressText(addresses: readonly Address[]): string {
  return addresses.map((a) => (a.name ? `${a.name} ${a.address}` : a.address)).join(', ');
}

/**
 * Plain words -> an FTS5 query: every word must match (implicit AND), each quoted so that FTS5
 * syntax characters in user input are just text, and the last one as a prefix (search as you type).
 * The full query language (from:, date ranges) comes later.
 */
export function toFtsQuery(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .map((term) => term.replace(/"/g, '""'))
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return null;
  return terms.map((term, index) => `"${term}"${index === terms.length - 1 ? '*' : ''}`).join(' ');
}

export class SearchIndex {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly searchAll;
  private readonly searchFolder;

  constructor(db: SqliteDatabase) {
    this.insertRow = db.prepare<[number, string, string, string, string, string, string]>(
      `INSERT INTO messages_fts (rowid, subject, "from", "to", cc, body, attachment_names)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteRow = db.prepare<[number]>('DELETE FROM messages_fts WHERE rowid = ?');
    const select = `SELECT ${MESSAGE_COLUMNS.split(', ')
      .map((c) => `m.${c}`)
      .join(', ')}
      FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ?`;
    this.searchAll = db.prepare<[string, number], MessageRowData>(
      `${select} ORDER BY m.date_ms DESC LIMIT ?`,
    );
    this.searchFolder = db.prepare<[string, number, number], MessageRowData>(
      `${select} AND m.folder_id = ? ORDER BY m.date_ms DESC LIMIT ?`,
    );
  }

  /** Adds a new message's text. Call inside the transaction that inserts the row. */
  index(id: MessageId, document: SearchDocument): void {
    this.insertRow.run(
      id,
      document.subject,
      addressText(document.from),
      addressText(document.to),
      addressText(document.cc),
      document.body,
      document.attachmentNames.join('\n'),
    );
  }

  /** Replaces the text of a message that was indexed before (e.g. after a better parse). */
  reindex(id: MessageId, document: SearchDocument): void {
    this.deleteRow.run(id);
    this.index(id, document);
  }

  remove(id: MessageId): void {
    this.deleteRow.run(id);
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
}
