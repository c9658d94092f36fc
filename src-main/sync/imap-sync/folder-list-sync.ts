/**
 * The account's folder tree in the store made equal to the server's LIST (RFC 3501 §6.3.8 with
 * RFC 6154 roles): new folders (made here or by another client) are added parent first, renamed
 * or re-parented ones updated, and folders gone from the server removed with their messages, deepest
 * first. A folder with queued actions is left alone: the replay creates or renames it on the server.
 */
import type { Folder } from '../../domain/folder';
import type { AccountId, FolderId } from '../../domain/ids';
import type { RemoteFolder } from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';

export type FolderListStore = Pick<SqliteMailStore, 'folders' | 'imapSync' | 'transaction'>;

export interface SyncedFolder {
  folder: Folder;
  /** \Noselect / \NonExistent: part of the tree, never SELECTed. */
  isSelectable: boolean;
}

export interface FolderListResult {
  folders: SyncedFolder[];
  /** Something was added, changed or removed: the UI reloads the folder pane. */
  changed: boolean;
  /** Files of the removed folders' messages, to delete after the commit. */
  removedFiles: string[];
}

const depthOf = (remote: RemoteFolder): number =>
  remote.delimiter === '' ? 0 : remote.path.split(remote.delimiter).length - 1;

export function applyFolderList(
  store: FolderListStore,
  accountId: AccountId,
  remote: readonly RemoteFolder[],
  isPending: (path: string) => boolean,
): FolderListResult {
  return store.transaction(() => {
    const local = new Map(store.folders.list(accountId).map((folder) => [folder.path, folder]));
    const idByPath = new Map<string, FolderId>();
    const result: SyncedFolder[] = [];
    let changed = false;
    for (const entry of [...remote].sort((a, b) => depthOf(a) - depthOf(b))) {
      const parentId = entry.parentPath === '' ? null : (idByPath.get(entry.parentPath) ?? null);
      const wanted = {
        name: entry.name,
        parentId,
        delimiter: entry.delimiter || '/',
        role: entry.role,
      };
      let folder = local.get(entry.path);
      if (!folder) {
        folder = store.folders.insert({ accountId, path: entry.path, ...wanted });
        changed = true;
      } else if (
        folder.name !== wanted.name ||
        folder.parentId !== wanted.parentId ||
        folder.delimiter !== wanted.delimiter ||
        folder.role !== wanted.role
      ) {
        store.imapSync.updateFolder(folder.id, wanted);
        folder = { ...folder, ...wanted };
        changed = true;
      }
      local.delete(entry.path);
      idByPath.set(entry.path, folder.id);
      result.push({ folder, isSelectable: !entry.noSelect });
    }
    const removedFiles: string[] = [];
    // What is left is gone from the server; children before parents (cascades would lose files).
    const gone = [...local.values()]
      .filter((folder) => !isPending(folder.path))
      .sort((a, b) => b.path.length - a.path.length);
    for (const folder of gone) {
      for (const row of store.imapSync.deleteFolder(folder.id)) removedFiles.push(row.emlPath);
      changed = true;
    }
    return { folders: result, changed, removedFiles };
  });
}
