/**
 * The SQL of what the user does to messages and folders (sync/mail-actions): move rows between
 * folders, delete rows, rename or delete a folder with its subfolders. Counters and the search
 * index follow by the triggers of 001-initial.sql; the POP3 ledger by the trigger of 002.
 */
import { asFolderId, asMessageId } from '../domain/ids';
import type { FolderId, MessageId } from '../domain/ids';
import type { SqliteDatabase } from './db';
import { MESSAGE_COLUMNS, toStoredMessage } from './message-rows';
import type { MessageRowData, StoredMessage } from './message-rows';

export interface RemovedMessages {
  /** .eml files of the deleted rows: remove them after the transaction committed. */
  emlPaths: string[];
  /** Folders that lost messages: their lists and counts need refreshing. */
  folderIds: FolderId[];
}

/** One row of a folder as emptying it needs it (not the whole summary: folders can be large). */
export interface FolderMessageRef {
  id: MessageId;
  imapUid: number | null;
}

const distinctFolders = (rows: ReadonlyArray<{ folder_id: number }>): FolderId[] =>
  [...new Set(rows.map((row) => row.folder_id))].sort((a, b) => a - b).map(asFolderId);

export class MailActionsRepo {
  private readonly selectByIds;
  private readonly moveRows;
  private readonly deleteRows;
  private readonly selectFolderRefs;
  private readonly selectSubtree;
  private readonly renameRoot;
  private readonly renameDescendants;
  private readonly deleteFolderMessages;
  private readonly deleteFolderRow;

  constructor(db: SqliteDatabase) {
    this.selectByIds = db.prepare<[string], MessageRowData>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    );
    // The UID belongs to the old folder (RFC 3501 §2.3.1.1): it is unknown in the new one until the
    // server says (COPYUID), or the sync engine matches the message by Message-ID.
    this.moveRows = db.prepare<[number, string, number]>(
      `UPDATE messages SET folder_id = ?, imap_uid = NULL
       WHERE id IN (SELECT value FROM json_each(?)) AND folder_id <> ?`,
    );
    this.deleteRows = db.prepare<[string], { folder_id: number; eml_path: string }>(
      `DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?)) RETURNING folder_id, eml_path`,
    );
    this.selectFolderRefs = db.prepare<[number], { id: number; imap_uid: number | null }>(
      'SELECT id, imap_uid FROM messages WHERE folder_id = ? ORDER BY id',
    );
    // Depth first from the folder down; the depth bound keeps bad parent data from looping.
    this.selectSubtree = db.prepare<[number], { id: number; path: string; depth: number }>(
      `WITH RECURSIVE tree (id, path, depth) AS (
         SELECT id, path, 0 FROM folders WHERE id = ?
         UNION ALL
         SELECT f.id, f.path, tree.depth + 1 FROM folders f JOIN tree ON f.parent_id = tree.id
         WHERE tree.depth < 64
       )
       SELECT id, path, depth FROM tree ORDER BY depth DESC, id`,
    );
    this.renameRoot = db.prepare<[string, string, number]>(
      'UPDATE folders SET name = ?, path = ? WHERE id = ?',
    );
    this.renameDescendants = db.prepare<[string, number, string]>(
      `UPDATE folders SET path = ? || substr(path, ? + 1)
       WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.deleteFolderMessages = db.prepare<[number], { folder_id: number; eml_path: string }>(
      'DELETE FROM messages WHERE folder_id = ? RETURNING folder_id, eml_path',
    );
    this.deleteFolderRow = db.prepare<[number]>('DELETE FROM folders WHERE id = ?');
  }

  /** The messages with these ids that exist, in id order. */
  messages(ids: readonly MessageId[]): StoredMessage[] {
    if (ids.length === 0) return [];
    return this.selectByIds.all(JSON.stringify(ids)).map(toStoredMessage);
  }

  /**
   * Moves rows to `folderId` (same account: the .eml files stay where they are). Returns how many
   * moved; rows already there are left alone.
   */
  move(ids: readonly MessageId[], folderId: FolderId): number {
    if (ids.length === 0) return 0;
    return this.moveRows.run(folderId, JSON.stringify(ids), folderId).changes;
  }

  /** Deletes rows for good. The caller removes the returned files after commit. */
  remove(ids: readonly MessageId[]): RemovedMessages {
    if (ids.length === 0) return { emlPaths: [], folderIds: [] };
    const rows = this.deleteRows.all(JSON.stringify(ids));
    return { emlPaths: rows.map((row) => row.eml_path), folderIds: distinctFolders(rows) };
  }

  /** Every message of a folder, by id and UID. */
  folderMessages(folderId: FolderId): FolderMessageRef[] {
    return this.selectFolderRefs.all(folderId).map((row) => ({
      id: asMessageId(row.id),
      imapUid: row.imap_uid,
    }));
  }

  /** The folder and all its subfolders, deepest first (the order a server deletes them in). */
  subtree(folderId: FolderId): Array<{ id: FolderId; path: string }> {
    return this.selectSubtree.all(folderId).map((row) => ({ id: asFolderId(row.id), path: row.path }));
  }

  /**
   * Renames a folder and rewrites its subfolders' paths under the new one (RFC 3501 §6.3.5: the
   * inferior names follow). The caller checked that the new path is free.
   */
  renameFolder(folderId: FolderId, oldPath: string, newName: string, newPath: string): void {
    const descendants = this.subtree(folderId)
      .filter((folder) => folder.id !== folderId)
      .map((folder) => folder.id);
    this.renameRoot.run(newName, newPath, folderId);
    if (descendants.length > 0) {
      this.renameDescendants.run(newPath, oldPath.length, JSON.stringify(descendants));
    }
  }

  /** Deletes folders with their messages (deepest first); the caller removes the files after commit. */
  deleteFolders(folderIds: readonly FolderId[]): string[] {
    const emlPaths: string[] = [];
    for (const folderId of folderIds) {
      // Messages first, so the delete triggers (search index, POP3 ledger) run for each of them.
      for (const row of this.deleteFolderMessages.all(folderId)) emlPaths.push(row.eml_path);
      this.deleteFolderRow.run(folderId);
    }
    return emlPaths;
  }
}
