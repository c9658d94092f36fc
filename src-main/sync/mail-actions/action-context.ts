/**
 * What every store-level action needs: the store, the IMAP queue, and small lookups shared by
 * message and folder actions (an account's special folders, a folder's path, who is IMAP).
 */
import type { Account } from '../../domain/account';
import { MailError } from '../../domain/errors';
import type { Folder, FolderRole } from '../../domain/folder';
import type { AccountId, FolderId } from '../../domain/ids';
import type { SqliteMailStore } from '../../store/mail-store';
import type { ImapActionQueue } from '../imap-actions/action-queue';

export type MailActionStore = Pick<
  SqliteMailStore,
  | 'accounts'
  | 'folders'
  | 'messages'
  | 'mailActions'
  | 'pendingActions'
  | 'pop3Uidls'
  | 'search'
  | 'emlFiles'
  | 'transaction'
>;

/** The queue's side the actions use (ImapActionQueue). */
export type ServerActionQueue = Pick<ImapActionQueue, 'enqueue' | 'announce'>;

export interface MailActionDeps {
  store: MailActionStore;
  queue: ServerActionQueue;
}

/** What an action changed, for the events the UI refreshes by. */
export interface ActionOutcome {
  /** Messages acted on (moved, copied, deleted...). */
  count: number;
  /** Folders whose lists or counts changed. */
  folderIds: FolderId[];
  /** Accounts whose folder tree changed (a folder was created, renamed or deleted). */
  treeChanged: AccountId[];
}

/** Names of the special folders created when an account has none (the usual IMAP names too). */
export const ROLE_FOLDER_NAMES: Readonly<Partial<Record<FolderRole, string>>> = {
  trash: 'Trash',
  archive: 'Archive',
};

/** Local Folders and POP3 folders use "/" (see mail-store.ts and pop3-folders.ts). */
export const LOCAL_DELIMITER = '/';

export function requireAccount(deps: MailActionDeps, accountId: AccountId): Account {
  const account = deps.store.accounts.get(accountId);
  if (!account) throw new MailError('NOT_FOUND', 'That account no longer exists.', { retryable: false });
  return account;
}

export function requireFolder(deps: MailActionDeps, folderId: FolderId): Folder {
  const folder = deps.store.folders.get(folderId);
  if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.', { retryable: false });
  return folder;
}

export function isImap(deps: MailActionDeps, accountId: AccountId): boolean {
  return deps.store.accounts.get(accountId)?.kind === 'imap';
}

/** The delimiter new top-level folders of an account use: the one its folders already have. */
export function accountDelimiter(deps: MailActionDeps, accountId: AccountId): string {
  const folders = deps.store.folders.list(accountId);
  const inbox = folders.find((folder) => folder.role === 'inbox');
  return (inbox ?? folders[0])?.delimiter ?? LOCAL_DELIMITER;
}

/**
 * The account's folder with this role, created (and for IMAP queued for CREATE) when it has none.
 * Call inside a transaction. `created` tells the caller the folder tree changed.
 */
export function ensureRoleFolder(
  deps: MailActionDeps,
  accountId: AccountId,
  role: 'trash' | 'archive',
): { folder: Folder; created: boolean } {
  const existing = deps.store.folders.findByRole(accountId, role);
  if (existing) return { folder: existing, created: false };
  const name = ROLE_FOLDER_NAMES[role] ?? role;
  // A folder the user made with that name becomes the role's folder's stand-in.
  const byName = deps.store.folders.findByPath(accountId, name);
  if (byName) return { folder: byName, created: false };
  const folder = deps.store.folders.insert({
    accountId,
    parentId: null,
    name,
    path: name,
    delimiter: accountDelimiter(deps, accountId),
    role,
  });
  if (isImap(deps, accountId)) {
    deps.queue.enqueue({ accountId, kind: 'folder_create', params: { path: name }, messages: [] });
  }
  return { folder, created: true };
}

/** Memoised folder lookups for one action over many messages. */
export function folderLookup(deps: MailActionDeps): (folderId: FolderId) => Folder {
  const cache = new Map<FolderId, Folder>();
  return (folderId) => {
    let folder = cache.get(folderId);
    if (!folder) {
      folder = requireFolder(deps, folderId);
      cache.set(folderId, folder);
    }
    return folder;
  };
}

export function sortedIds<T extends number>(ids: Iterable<T>): T[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
