/**
 * Shapes the flat `folders.list` result into what the folder pane shows: accounts, each with its
 * folders nested by parentId, in the order the main process sorted them (inbox first, then by role
 * and name). Keyboard navigation walks `visibleTreeItems`, the rows of the expanded tree in order.
 */
import type { AccountView, EventPayload, FolderView } from '../api/contract-types';

export interface FolderNode {
  readonly folder: FolderView;
  readonly children: readonly FolderNode[];
}

export interface AccountNode {
  readonly account: AccountView;
  readonly folders: readonly FolderNode[];
}

export type TreeItemKey = `account-${number}` | `folder-${number}`;

export interface VisibleTreeItem {
  readonly key: TreeItemKey;
  readonly kind: 'account' | 'folder';
  readonly id: number;
  readonly parentKey: TreeItemKey | null;
  readonly hasChildren: boolean;
}

export function accountKey(id: number): TreeItemKey {
  return `account-${id}`;
}

export function folderKey(id: number): TreeItemKey {
  return `folder-${id}`;
}

export function buildFolderTree(
  accounts: readonly AccountView[],
  folders: readonly FolderView[],
): AccountNode[] {
  const childrenOf = new Map<number | null, FolderView[]>();
  const known = new Set(folders.map((folder) => folder.id));
  for (const folder of folders) {
    // A folder whose parent is missing (not listed yet) shows at the top level rather than vanishing.
    const parent = folder.parentId !== null && known.has(folder.parentId) ? folder.parentId : null;
    const siblings = childrenOf.get(parent) ?? [];
    siblings.push(folder);
    childrenOf.set(parent, siblings);
  }
  const nodeOf = (folder: FolderView, depth: number): FolderNode => ({
    folder,
    // Depth bound: a parent cycle in bad data must not recurse forever.
    children:
      depth > MAX_FOLDER_DEPTH ? [] : (childrenOf.get(folder.id) ?? []).map((c) => nodeOf(c, depth + 1)),
  });
  const topLevel = childrenOf.get(null) ?? [];
  return accounts.map((account) => ({
    account,
    folders: topLevel.filter((folder) => folder.accountId === account.id).map((folder) => nodeOf(folder, 0)),
  }));
}

const MAX_FOLDER_DEPTH = 64;

/** The tree's rows as shown: an item's children only when it is expanded. */
export function visibleTreeItems(tree: readonly AccountNode[], isExpanded: (key: TreeItemKey) => boolean) {
  const items: VisibleTreeItem[] = [];
  const addFolders = (nodes: readonly FolderNode[], parentKey: TreeItemKey) => {
    for (const node of nodes) {
      const key = folderKey(node.folder.id);
      items.push({
        key,
        kind: 'folder',
        id: node.folder.id,
        parentKey,
        hasChildren: node.children.length > 0,
      });
      if (node.children.length > 0 && isExpanded(key)) addFolders(node.children, key);
    }
  };
  for (const { account, folders } of tree) {
    const key = accountKey(account.id);
    items.push({ key, kind: 'account', id: account.id, parentKey: null, hasChildren: folders.length > 0 });
    if (isExpanded(key)) addFolders(folders, key);
  }
  return items;
}

/** The folder the app opens on: the local account's Inbox, else any Inbox, else the first folder. */
export function defaultFolderId(
  accounts: readonly AccountView[],
  folders: readonly FolderView[],
): number | null {
  const localIds = new Set(accounts.filter((a) => a.kind === 'local').map((a) => a.id));
  const localInbox = folders.find((f) => f.role === 'inbox' && localIds.has(f.accountId));
  return (localInbox ?? folders.find((f) => f.role === 'inbox') ?? folders[0])?.id ?? null;
}

/** Imports go into the selected folder if it is local (they are files, not server mail), else the local Inbox. */
export function importTargetFolderId(
  accounts: readonly AccountView[],
  folders: readonly FolderView[],
  selectedId: number | null,
): number | null {
  const localAccountIds = new Set(accounts.filter((a) => a.kind === 'local').map((a) => a.id));
  const selected = folders.find((f) => f.id === selectedId);
  if (selected && localAccountIds.has(selected.accountId)) return selected.id;
  return folders.find((f) => f.role === 'inbox' && localAccountIds.has(f.accountId))?.id ?? null;
}

type CountChanges = EventPayload<'counts.changed'>['folders'];

/** The folders with new unread/total counts; the same array when none of them changed. */
export function withCounts(folders: readonly FolderView[], changes: CountChanges): readonly FolderView[] {
  const byId = new Map(changes.map((change) => [change.folderId, change]));
  if (!folders.some((folder) => byId.has(folder.id))) return folders;
  return folders.map((folder) => {
    const change = byId.get(folder.id);
    return change ? { ...folder, unread: change.unread, total: change.total } : folder;
  });
}

/** Folders of mail the user wrote: their list names who it went to rather than who sent it. */
export function isOutgoingFolder(folder: Pick<FolderView, 'role'>): boolean {
  return folder.role === 'sent' || folder.role === 'drafts' || folder.role === 'outbox';
}
