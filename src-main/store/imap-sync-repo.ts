/**
 * What the IMAP sync engine (sync/imap-sync) reads and writes beyond the plain repositories: a
 * folder's sync state (RFC 3501 §2.3.1.1 UIDVALIDITY/UIDNEXT, RFC 7162 HIGHESTMODSEQ), the stored
 * UIDs of a folder, server flags, expunges, and which messages still have their body on the
 * server (eml_path = HEADERS_ONLY_EML_PATH, 003-imap-sync.sql).
 */
import type { MessageFlags } from '../domain/flags';
import type { FolderRole } from '../domain/folder';
import { asFolderId, asMessageId } from '../domain/ids';
import type { FolderId, MessageId } from '../domain/ids';
import type { SqliteDatabase } from './db';
import { HEADERS_ONLY_EML_PATH } from './eml-files';
import type { ParseState } from './message-rows';

export interface ImapFolderState {
  uidValidity: bigint | null;
  uidNext: number | null;
  highestModseq: bigint | null;
}

export interface RemovedRow {
  id: MessageId;
  /** The .eml to delete after the commit ('' when only headers were here). */
  emlPath: string;
}

export interface BodylessMessage {
  id: MessageId;
  uid: number;
  size: number;
}

interface FlagParams {
  seen: number;
  flagged: number;
  answered: number;
  forwarded: number;
  draft: number;
  deleted: number;
  keywords: string;
  folderId: number;
  uid: number;
}

interface StateRow {
  uidvalidity: bigint | null;
  uidnext: bigint | null;
  highestmodseq: bigint | null;
}

const bit = (value: boolean): number => (value ? 1 : 0);
/** Rows per statement when a list of UIDs goes in as JSON (bounds one statement's work). */
const UID_CHUNK = 5_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class ImapSyncRepo {
  private readonly selectState;
  private readonly updateState;
  private readonly updateFolderRow;
  private readonly deleteFolderMessages;
  private readonly deleteFolderRow;
  private readonly selectUids;
  private readonly selectByUid;
  private readonly selectAwaitingUid;
  private readonly selectAnyAwaitingUid;
  private readonly updateUid;
  private readonly updateFlags;
  private readonly deleteUids;
  private readonly deleteWithUid;
  private readonly selectBodyless;
  private readonly selectCountWithUid;
  private readonly countBodylessRows;
  private readonly updateBody;
  private readonly updateSize;
  private readonly updateFromBody;
  private readonly updateDetachBody;

  constructor(db: SqliteDatabase) {
    this.selectState = db
      .prepare<[number], StateRow>('SELECT uidvalidity, uidnext, highestmodseq FROM folders WHERE id = ?')
      .safeIntegers(true);
    this.updateState = db.prepare<[bigint | null, number | null, bigint | null, number]>(
      'UPDATE folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ? WHERE id = ?',
    );
    this.updateFolderRow = db.prepare<[string, number | null, string, string | null, number]>(
      'UPDATE folders SET name = ?, parent_id = ?, delimiter = ?, role = ? WHERE id = ?',
    );
    this.deleteFolderMessages = db.prepare<[number], { id: number; eml_path: string }>(
      'DELETE FROM messages WHERE folder_id = ? RETURNING id, eml_path',
    );
    this.deleteFolderRow = db.prepare<[number]>('DELETE FROM folders WHERE id = ?');
    this.selectUids = db
      .prepare<[number], number>(
        'SELECT imap_uid FROM messages WHERE folder_id = ? AND imap_uid IS NOT NULL ORDER BY imap_uid',
      )
      .pluck();
    this.selectByUid = db.prepare<[number, number], { id: number }>(
      'SELECT id FROM messages WHERE folder_id = ? AND imap_uid = ?',
    );
    this.selectAwaitingUid = db.prepare<[number, string], { id: number }>(
      `SELECT id FROM messages WHERE folder_id = ? AND imap_uid IS NULL AND message_id_header = ?
       ORDER BY id LIMIT 1`,
    );
    this.selectAnyAwaitingUid = db
      .prepare<[number], number>(
        `SELECT EXISTS (SELECT 1 FROM messages WHERE folder_id = ? AND imap_uid IS NULL
           AND message_id_header IS NOT NULL)`,
      )
      .pluck();
    this.updateUid = db.prepare<[number, number, number]>(
      `UPDATE messages SET imap_uid = ?, size = CASE WHEN eml_path = '' THEN ? ELSE size END WHERE id = ?`,
    );
    // Only rows whose flags differ are written: no trigger work and an honest "changed" count.
    this.updateFlags = db.prepare<[FlagParams], { id: number }>(
      `UPDATE messages SET is_seen = @seen, is_flagged = @flagged, is_answered = @answered,
         is_forwarded = @forwarded, is_draft = @draft, is_deleted = @deleted, keywords_json = @keywords
       WHERE folder_id = @folderId AND imap_uid = @uid AND (is_seen <> @seen OR is_flagged <> @flagged
         OR is_answered <> @answered OR is_forwarded <> @forwarded OR is_draft <> @draft
         OR is_deleted <> @deleted OR keywords_json <> @keywords)
       RETURNING id`,
    );
    this.deleteUids = db.prepare<[number, string], { id: number; eml_path: string }>(
      `DELETE FROM messages WHERE folder_id = ? AND imap_uid IN (SELECT value FROM json_each(?))
       RETURNING id, eml_path`,
    );
    this.deleteWithUid = db.prepare<[number], { id: number; eml_path: string }>(
      'DELETE FROM messages WHERE folder_id = ? AND imap_uid IS NOT NULL RETURNING id, eml_path',
    );
    this.selectBodyless = db.prepare<
      [number, string, number, number, number],
      { id: number; imap_uid: number; size: number }
    >(
      `SELECT id, imap_uid, size FROM messages WHERE folder_id = ? AND eml_path = ?
         AND imap_uid IS NOT NULL AND imap_uid < ? AND date_ms >= ? ORDER BY imap_uid DESC LIMIT ?`,
    );
    this.selectCountWithUid = db
      .prepare<[number], number>('SELECT count(*) FROM messages WHERE folder_id = ? AND imap_uid IS NOT NULL')
      .pluck();
    // Only the file: subject, addresses, date and size came with the header fields and
    // RFC822.SIZE, so the sort indexes are left untouched; the snippet and the exact attachment
    // flag come later from the search indexer's parse (fillFromBody).
    this.updateBody = db.prepare<[string, number, string], { folder_id: number; size: number }>(
      `UPDATE messages SET eml_path = ? WHERE id = ? AND eml_path = ? RETURNING folder_id, size`,
    );
    this.updateSize = db.prepare<[number, number]>('UPDATE messages SET size = ? WHERE id = ?');
    // Only rows stored unparsed (an IMAP body or POP3 mail, snippet still empty): rows that were
    // parsed when they arrived (imports, sent copies) keep the snippet they were given.
    this.updateFromBody = db.prepare<[string, string, number, number, string], { folder_id: number }>(
      `UPDATE messages SET snippet = ?, parse_state = ?, has_attachments = ?
       WHERE id = ? AND eml_path = ? AND snippet = '' RETURNING folder_id`,
    );
    this.updateDetachBody = db.prepare<[string, number, string], { eml_path: string }>(
      `UPDATE messages SET eml_path = ? WHERE id = ? AND eml_path = ? RETURNING eml_path`,
    );
    this.countBodylessRows = db
      .prepare<[number, string], number>(
        'SELECT count(*) FROM messages WHERE folder_id = ? AND eml_path = ? AND imap_uid IS NOT NULL',
      )
      .pluck();
  }

  folderState(folderId: FolderId): ImapFolderState {
    const row = this.selectState.get(folderId);
    return {
      uidValidity: row?.uidvalidity ?? null,
      uidNext: row?.uidnext === null || row?.uidnext === undefined ? null : Number(row.uidnext),
      highestModseq: row?.highestmodseq ?? null,
    };
  }

  saveFolderState(folderId: FolderId, state: ImapFolderState): void {
    this.updateState.run(state.uidValidity, state.uidNext, state.highestModseq, folderId);
  }

  /** A folder's place in the tree and role as the server now lists them. */
  updateFolder(
    folderId: FolderId,
    folder: { name: string; parentId: FolderId | null; delimiter: string; role: FolderRole | null },
  ): void {
    this.updateFolderRow.run(folder.name, folder.parentId, folder.delimiter, folder.role, folderId);
  }

  /** Deletes a folder that is gone from the server, with its messages; returns their files. */
  deleteFolder(folderId: FolderId): RemovedRow[] {
    const removed = this.deleteFolderMessages.all(folderId).map(toRemoved);
    this.deleteFolderRow.run(folderId);
    return removed;
  }

  /** Stored UIDs of the folder, ascending. */
  uids(folderId: FolderId): number[] {
    return this.selectUids.all(folderId);
  }

  idByUid(folderId: FolderId, uid: number): MessageId | null {
    const row = this.selectByUid.get(folderId, uid);
    return row ? asMessageId(row.id) : null;
  }

  /** A row of this folder put here by a queued move/copy, still waiting for its server UID. */
  findAwaitingUid(folderId: FolderId, messageIdHeader: string): MessageId | null {
    const row = this.selectAwaitingUid.get(folderId, messageIdHeader);
    return row ? asMessageId(row.id) : null;
  }

  /** Whether any row of the folder waits for its UID (findAwaitingUid can find something). */
  hasAwaitingUid(folderId: FolderId): boolean {
    return this.selectAnyAwaitingUid.get(folderId) === 1;
  }

  /**
   * The server's UID and RFC822.SIZE for a row that was waiting for them. A row that already has
   * its file keeps the file's length: that is what a torn file is detected by (attachBody).
   */
  assignUid(id: MessageId, uid: number, size: number): void {
    this.updateUid.run(uid, size, id);
  }

  /** Writes the server's flags; returns the id when something changed. */
  setServerFlags(folderId: FolderId, uid: number, flags: MessageFlags): MessageId | null {
    const row = this.updateFlags.get({
      seen: bit(flags.seen),
      flagged: bit(flags.flagged),
      answered: bit(flags.answered),
      forwarded: bit(flags.forwarded),
      draft: bit(flags.draft),
      deleted: bit(flags.deleted),
      keywords: JSON.stringify(flags.keywords),
      folderId,
      uid,
    });
    return row ? asMessageId(row.id) : null;
  }

  /** Deletes the rows of expunged UIDs (triggers keep counts and search in step). */
  deleteByUids(folderId: FolderId, uids: readonly number[]): RemovedRow[] {
    const removed: RemovedRow[] = [];
    for (const part of chunks(uids, UID_CHUNK)) {
      removed.push(...this.deleteUids.all(folderId, JSON.stringify(part)).map(toRemoved));
    }
    return removed;
  }

  /**
   * UIDVALIDITY changed (RFC 3501 §2.3.1.1): every stored UID of the folder is void. Rows without
   * a UID (queued moves waiting for theirs) are kept; the resync matches them again.
   */
  deleteAllWithUid(folderId: FolderId): RemovedRow[] {
    return this.deleteWithUid.all(folderId).map(toRemoved);
  }

  /**
   * Messages of the folder whose body is still on the server, highest UID first, below `belowUid`
   * (a cursor, so a message that cannot be downloaded is not asked for again in the same pass) and
   * dated `sinceMs` or later.
   */
  bodyless(folderId: FolderId, limit: number, belowUid: number, sinceMs: number | null): BodylessMessage[] {
    const rows = this.selectBodyless.all(
      folderId,
      HEADERS_ONLY_EML_PATH,
      belowUid,
      sinceMs ?? Number.MIN_SAFE_INTEGER,
      limit,
    );
    return rows.map((row) => ({ id: asMessageId(row.id), uid: row.imap_uid, size: row.size }));
  }

  /** Messages of the folder that carry a server UID. */
  countWithUid(folderId: FolderId): number {
    return this.selectCountWithUid.get(folderId) ?? 0;
  }

  /**
   * Points a headers-only row at its downloaded body file of `size` bytes; returns its folder, or
   * null when the row is gone or already has a body (then the caller deletes the file it wrote).
   * The row's size becomes the file's length (RFC822.SIZE nearly always is): a body file is a
   * cache written without fsync, and a file of another length after a crash is downloaded again.
   */
  attachBody(id: MessageId, body: { emlPath: string; size: number }): FolderId | null {
    const row = this.updateBody.get(body.emlPath, id, HEADERS_ONLY_EML_PATH);
    if (!row) return null;
    if (row.size !== body.size) this.updateSize.run(body.size, id);
    return asFolderId(row.folder_id);
  }

  /**
   * What only a parse of the body tells, once something parsed it (the search indexer): the list's
   * snippet, whether the message is damaged, and whether it really has attachments (an IMAP row
   * was given a guess from its Content-Type, header-rows.ts). Only while the row still points at
   * that file and has no snippet yet. Returns the row's folder when it was filled (its list shows
   * it), else null.
   */
  fillFromBody(
    id: MessageId,
    emlPath: string,
    body: { snippet: string; parseState: ParseState; hasAttachments: boolean },
  ): FolderId | null {
    if (emlPath === HEADERS_ONLY_EML_PATH) return null;
    const row = this.updateFromBody.get(
      body.snippet,
      body.parseState,
      body.hasAttachments ? 1 : 0,
      id,
      emlPath,
    );
    return row === undefined ? null : asFolderId(row.folder_id);
  }

  /**
   * Turns a row back into headers only when its file is `emlPath` (a torn or missing cache file);
   * true when it did. The caller deletes the file and downloads the body again.
   */
  detachBody(id: MessageId, emlPath: string): boolean {
    if (emlPath === HEADERS_ONLY_EML_PATH) return false;
    return this.updateDetachBody.get(HEADERS_ONLY_EML_PATH, id, emlPath) !== undefined;
  }

  countBodyless(folderId: FolderId): number {
    return this.countBodylessRows.get(folderId, HEADERS_ONLY_EML_PATH) ?? 0;
  }
}

function toRemoved(row: { id: number; eml_path: string }): RemovedRow {
  return { id: asMessageId(row.id), emlPath: row.eml_path };
}
