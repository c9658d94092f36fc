import type { AccountId, FolderId } from './ids';

/** Special-use roles (RFC 6154) plus Inbox and the local Outbox; null for ordinary folders. */
export const FOLDER_ROLES = ['inbox', 'drafts', 'sent', 'trash', 'junk', 'archive', 'outbox'] as const;
export type FolderRole = (typeof FOLDER_ROLES)[number];

export interface Folder {
  id: FolderId;
  accountId: AccountId;
  parentId: FolderId | null;
  /** Last path segment, as shown. */
  name: string;
  /** Full path with the account's hierarchy delimiter ("Work/Reports"). */
  path: string;
  delimiter: string;
  role: FolderRole | null;
}

/** Folders with a role come first, in this order; the rest by name. */
export const ROLE_ORDER: Readonly<Record<FolderRole, number>> = {
  inbox: 0,
  drafts: 1,
  sent: 2,
  outbox: 3,
  archive: 4,
  junk: 5,
  trash: 6,
};

/** The folders every Local Folders store starts with. */
export const LOCAL_DEFAULT_FOLDERS: ReadonlyArray<{ name: string; role: FolderRole }> = [
  { name: 'Inbox', role: 'inbox' },
  { name: 'Drafts', role: 'drafts' },
  { name: 'Sent', role: 'sent' },
  { name: 'Trash', role: 'trash' },
];

export function compareFolders(a: Pick<Folder, 'role' | 'path'>, b: Pick<Folder, 'role' | 'path'>): number {
  const ra = a.role === null ? Number.MAX_SAFE_INTEGER : ROLE_ORDER[a.role];
  const rb = b.role === null ? Number.MAX_SAFE_INTEGER : ROLE_ORDER[b.role];
  if (ra !== rb) return ra - rb;
  return a.path.localeCompare(b.path, undefined, { sensitivity: 'base' });
}
