import { describe, expect, it } from 'vitest';
import {
  buildFolderTree,
  defaultFolderId,
  importTargetFolderId,
  visibleTreeItems,
  withCounts,
} from '../../../../../src-renderer/src/lib/folders/folder-tree';
import type { AccountView, FolderView } from '../../../../../src-main/api/contract';

const local: AccountView = { id: 1, kind: 'local', displayName: 'Local Folders', email: null };
const imap: AccountView = { id: 2, kind: 'imap', displayName: 'Work', email: 'me@work.example' };

function folder(id: number, accountId: number, name: string, extra: Partial<FolderView> = {}): FolderView {
  return { id, accountId, parentId: null, name, path: name, role: null, unread: 0, total: 0, ...extra };
}

const folders = [
  folder(10, 1, 'Inbox', { role: 'inbox' }),
  folder(11, 1, 'Drafts', { role: 'drafts' }),
  folder(20, 2, 'INBOX', { role: 'inbox' }),
  folder(21, 2, 'Projects'),
  folder(22, 2, 'Estafeta', { parentId: 21 }),
];

describe('the folder tree', () => {
  it('groups folders under their account and nests them by parent, keeping the given order', () => {
    const tree = buildFolderTree([local, imap], folders);
    expect(tree.map((a) => [a.account.displayName, a.folders.map((f) => f.folder.name)])).toEqual([
      ['Local Folders', ['Inbox', 'Drafts']],
      ['Work', ['INBOX', 'Projects']],
    ]);
    expect(tree[1]?.folders[1]?.children.map((c) => c.folder.name)).toEqual(['Estafeta']);
  });

  it('shows a folder whose parent is missing at the top level rather than losing it', () => {
    const tree = buildFolderTree([imap], [folder(30, 2, 'Orphan', { parentId: 999 })]);
    expect(tree[0]?.folders.map((f) => f.folder.name)).toEqual(['Orphan']);
  });

  it('lists the rows keyboard navigation walks, skipping collapsed subtrees', () => {
    const tree = buildFolderTree([local, imap], folders);
    const all = visibleTreeItems(tree, () => true).map((item) => item.key);
    expect(all).toEqual([
      'account-1',
      'folder-10',
      'folder-11',
      'account-2',
      'folder-20',
      'folder-21',
      'folder-22',
    ]);
    const collapsed = new Set(['account-1', 'folder-21']);
    const some = visibleTreeItems(tree, (key) => !collapsed.has(key));
    expect(some.map((item) => item.key)).toEqual(['account-1', 'account-2', 'folder-20', 'folder-21']);
    expect(some.find((item) => item.key === 'folder-21')).toMatchObject({
      hasChildren: true,
      parentKey: 'account-2',
    });
  });

  it('opens on the local Inbox', () => {
    expect(defaultFolderId([imap, local], [...folders].reverse())).toBe(10);
    expect(defaultFolderId([imap], folders.slice(2))).toBe(20);
    expect(defaultFolderId([], [])).toBeNull();
  });

  it('imports into the selected local folder, else into the local Inbox', () => {
    expect(importTargetFolderId([local, imap], folders, 11)).toBe(11);
    expect(importTargetFolderId([local, imap], folders, 21)).toBe(10);
    expect(importTargetFolderId([local, imap], folders, null)).toBe(10);
    expect(importTargetFolderId([imap], folders.slice(2), 20)).toBeNull();
  });

  it('applies new counts to the folders they name and leaves the list alone otherwise', () => {
    const counted = withCounts(folders, [{ folderId: 11, unread: 3, total: 9 }]);
    expect(counted.find((f) => f.id === 11)).toMatchObject({ unread: 3, total: 9 });
    expect(counted.find((f) => f.id === 10)).toBe(folders[0]);
    expect(withCounts(folders, [{ folderId: 999, unread: 1, total: 1 }])).toBe(folders);
  });
});
