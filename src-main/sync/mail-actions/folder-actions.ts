/**
 * Folder create, rename (subfolders follow) and delete (with subfolders and messages), for every
 * kind of account; IMAP accounts queue CREATE/RENAME/DELETE in the same transaction.
 */
import { MailError } from '../../domain/errors';
import type { Folder } from '../../domain/folder';
import { asFolderId } from '../../domain/ids';
import type { AccountId, FolderId } from '../../domain/ids';
import {
  accountDelimiter,
  isImap,
  requireAccount,
  requireFolder,
  type ActionOutcome,
  type MailActionDeps,
} from './action-context';

/** LIST wildcards (RFC 3501 §6.3.8) cannot be part of a name a server would accept back. */
const LIST_WILDCARDS = /[%*]/;
/** Control characters are refused in names: they cannot be shown and some servers reject them. */
const CONTROL_CHARACTERS = /\p{Cc}/u;

function validName(name: string, delimiter: string): string {
  const trimmed = name.trim();
  const refuse = (why: string): never => {
    throw new MailError('BAD_REQUEST', why, { detail: name, retryable: false });
  };
  if (trimmed === '' || trimmed === '.' || trimmed === '..') refuse('Choose a name for the folder.');
  if (delimiter !== '' && trimmed.includes(delimiter)) {
    refuse(`A folder name cannot contain "${delimiter}".`);
  }
  if (LIST_WILDCARDS.test(trimmed) || CONTROL_CHARACTERS.test(trimmed)) {
    refuse('A folder name cannot contain "%", "*" or control characters.');
  }
  return trimmed;
}

function refuseSpecial(folder: Folder, verb: 'renamed' | 'deleted'): void {
  if (folder.role !== null) {
    throw new MailError('BAD_REQUEST', `Special folders such as ${folder.name} cannot be ${verb}.`, {
      detail: folder.path,
      retryable: false,
    });
  }
}

export class FolderActions {
  readonly #deps: MailActionDeps;
  readonly #removeFile: (path: string) => Promise<void>;

  constructor(deps: MailActionDeps) {
    this.#deps = deps;
    this.#removeFile = (path) => deps.store.emlFiles.remove(path).catch(() => undefined);
  }

  create(
    accountId: AccountId,
    parentId: FolderId | null,
    name: string,
  ): { folder: Folder; outcome: ActionOutcome } {
    requireAccount(this.#deps, accountId);
    const parent = parentId === null ? null : requireFolder(this.#deps, parentId);
    if (parent && parent.accountId !== accountId) {
      throw new MailError('BAD_REQUEST', 'The new folder must be in the same account as its parent.', {
        retryable: false,
      });
    }
    const delimiter = parent?.delimiter ?? accountDelimiter(this.#deps, accountId);
    const clean = validName(name, delimiter);
    const path = parent ? `${parent.path}${delimiter}${clean}` : clean;
    const folder = this.#deps.store.transaction(() => {
      if (this.#deps.store.folders.findByPath(accountId, path)) {
        throw new MailError('BAD_REQUEST', 'A folder with that name already exists here.', {
          detail: path,
          retryable: false,
        });
      }
      const created = this.#deps.store.folders.insert({
        accountId,
        parentId: parent?.id ?? null,
        name: clean,
        path,
        delimiter,
        role: null,
      });
      if (isImap(this.#deps, accountId)) {
        this.#deps.queue.enqueue({ accountId, kind: 'folder_create', params: { path }, messages: [] });
      }
      return created;
    });
    this.#announce(accountId);
    return { folder, outcome: { count: 0, folderIds: [folder.id], treeChanged: [accountId] } };
  }

  rename(folderId: FolderId, name: string): ActionOutcome {
    const folder = requireFolder(this.#deps, folderId);
    refuseSpecial(folder, 'renamed');
    const clean = validName(name, folder.delimiter);
    const parentPath = folder.parentId === null ? null : requireFolder(this.#deps, folder.parentId).path;
    const newPath = parentPath === null ? clean : `${parentPath}${folder.delimiter}${clean}`;
    const unchanged = { count: 0, folderIds: [], treeChanged: [] };
    if (newPath === folder.path && clean === folder.name) return unchanged;
    this.#deps.store.transaction(() => {
      const clash = this.#deps.store.folders.findByPath(folder.accountId, newPath);
      if (clash && clash.id !== folder.id) {
        throw new MailError('BAD_REQUEST', 'A folder with that name already exists here.', {
          detail: newPath,
          retryable: false,
        });
      }
      this.#deps.store.mailActions.renameFolder(folder.id, folder.path, clean, newPath);
      if (isImap(this.#deps, folder.accountId)) {
        this.#deps.queue.enqueue({
          accountId: folder.accountId,
          kind: 'folder_rename',
          params: { from: folder.path, to: newPath, delimiter: folder.delimiter },
          messages: [],
        });
      }
    });
    this.#announce(folder.accountId);
    return { count: 0, folderIds: [], treeChanged: [folder.accountId] };
  }

  async delete(folderId: FolderId): Promise<ActionOutcome> {
    const folder = requireFolder(this.#deps, folderId);
    refuseSpecial(folder, 'deleted');
    const emlPaths = this.#deps.store.transaction(() => {
      const subtree = this.#deps.store.mailActions.subtree(folder.id);
      // A special folder below (an Archive made inside it) goes too: the user chose the parent.
      if (isImap(this.#deps, folder.accountId)) {
        this.#deps.queue.enqueue({
          accountId: folder.accountId,
          kind: 'folder_delete',
          params: { paths: subtree.map((f) => f.path) },
          messages: [],
        });
      }
      return this.#deps.store.mailActions.deleteFolders(subtree.map((f) => asFolderId(f.id)));
    });
    this.#announce(folder.accountId);
    for (const path of emlPaths) await this.#removeFile(path);
    return { count: emlPaths.length, folderIds: [], treeChanged: [folder.accountId] };
  }

  #announce(accountId: AccountId): void {
    if (isImap(this.#deps, accountId)) this.#deps.queue.announce([accountId]);
  }
}
