import type { ApiClient } from '../api/client';
import type { AccountView, FolderView } from '../api/contract-types';
import { errorText } from './error-text';

/**
 * Folder operations from the folder pane: New folder, Rename folder, Delete folder, Empty Trash,
 * and messages dropped on a folder. One dialog at a time; the main process applies each change to
 * the store at once (and queues it for an IMAP server), then `folders.changed` / `counts.changed`
 * refresh the tree, so nothing here edits the folder list itself.
 */
export type FolderDialog =
  | { kind: 'create'; account: AccountView; parent: FolderView | null }
  | { kind: 'rename'; folder: FolderView }
  | { kind: 'delete'; folder: FolderView }
  | { kind: 'empty'; folder: FolderView };

/**
 * The drag data type of messages dragged from the list onto a folder (the list's selection moves;
 * the value carries nothing, so no message data leaves through the system clipboard of drags).
 */
export const MESSAGE_DRAG_TYPE = 'application/x-estafeta-messages';

/** Special folders keep their names and cannot be deleted (the main process refuses too). */
export function canRenameOrDelete(folder: FolderView | null): folder is FolderView {
  return folder !== null && folder.role === null;
}

/** "Empty" applies to Trash and Junk. */
export function canEmpty(folder: FolderView | null): folder is FolderView {
  return folder !== null && (folder.role === 'trash' || folder.role === 'junk') && folder.total > 0;
}

export class FolderActionsState {
  readonly #api: ApiClient;
  #dialog = $state<FolderDialog | null>(null);
  #error = $state<string | null>(null);
  #isBusy = $state(false);

  constructor(api: ApiClient) {
    this.#api = api;
  }

  get dialog(): FolderDialog | null {
    return this.#dialog;
  }

  /** What went wrong with the last change, in words for the user; shown in the open dialog. */
  get error(): string | null {
    return this.#error;
  }

  get isBusy(): boolean {
    return this.#isBusy;
  }

  openCreate(account: AccountView, parent: FolderView | null): void {
    this.#open({ kind: 'create', account, parent });
  }

  openRename(folder: FolderView): void {
    if (canRenameOrDelete(folder)) this.#open({ kind: 'rename', folder });
  }

  openDelete(folder: FolderView): void {
    if (canRenameOrDelete(folder)) this.#open({ kind: 'delete', folder });
  }

  openEmpty(folder: FolderView): void {
    if (canEmpty(folder)) this.#open({ kind: 'empty', folder });
  }

  close(): void {
    if (this.#isBusy) return;
    this.#dialog = null;
    this.#error = null;
  }

  /**
   * Carries out the open dialog. Returns the folder to select afterwards (the new folder), or
   * null; on failure the dialog stays open with the error.
   */
  async confirm(name: string): Promise<{ selectFolderId: number | null } | null> {
    const dialog = this.#dialog;
    if (!dialog || this.#isBusy) return null;
    const trimmed = name.trim();
    if ((dialog.kind === 'create' || dialog.kind === 'rename') && trimmed === '') {
      this.#error = null;
      return null;
    }
    this.#isBusy = true;
    this.#error = null;
    try {
      let selectFolderId: number | null = null;
      switch (dialog.kind) {
        case 'create':
          selectFolderId = (
            await this.#api.call('folders.create', {
              accountId: dialog.account.id,
              parentId: dialog.parent?.id ?? null,
              name: trimmed,
            })
          ).folderId;
          break;
        case 'rename':
          await this.#api.call('folders.rename', { folderId: dialog.folder.id, name: trimmed });
          break;
        case 'delete':
          await this.#api.call('folders.delete', { folderId: dialog.folder.id });
          break;
        case 'empty':
          await this.#api.call('folders.empty', { folderId: dialog.folder.id });
          break;
      }
      this.#isBusy = false;
      this.close();
      return { selectFolderId };
    } catch (error) {
      this.#error = errorText(error);
      return null;
    } finally {
      this.#isBusy = false;
    }
  }

  #open(dialog: FolderDialog): void {
    if (this.#isBusy) return;
    this.#dialog = dialog;
    this.#error = null;
  }
}
