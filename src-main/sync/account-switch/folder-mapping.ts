import type { Folder, FolderRole } from '../../domain/folder';
import type { RemoteFolder } from '../../protocols/imap';

/**
 * Which IMAP folder each kept local folder's mail goes to: Inbox to INBOX (RFC 3501 §5.1), the
 * special-use folders (Sent, Drafts, Trash, Junk, Archive) to the server's folder of that role
 * (RFC 6154), and every other folder to the same path on the server, created when missing. The
 * local Outbox holds mail not sent yet, which is not server mail: it stays here.
 */

export interface FolderTarget {
  local: Folder;
  /** The server path, in the server's hierarchy delimiter. */
  remotePath: string;
  /** False when the folder has to be created first. */
  exists: boolean;
}

const INBOX = 'INBOX';
/** Local folders whose name says their role when the role itself was lost in a hand-over. */
const ROLE_BY_NAME: Readonly<Record<string, FolderRole>> = {
  inbox: 'inbox',
  sent: 'sent',
  drafts: 'drafts',
  trash: 'trash',
  junk: 'junk',
  spam: 'junk',
  archive: 'archive',
};

/** The folders under `root` (root included), parents before children. */
export function subtreeOf(root: Folder, all: readonly Folder[]): Folder[] {
  const byParent = new Map<number | null, Folder[]>();
  for (const folder of all) {
    const siblings = byParent.get(folder.parentId) ?? [];
    siblings.push(folder);
    byParent.set(folder.parentId, siblings);
  }
  const result: Folder[] = [];
  const queue: Folder[] = [root];
  // Bounded by the number of folders: each is visited once (ids are unique, the tree has no cycles).
  for (let i = 0; i < queue.length && i <= all.length; i++) {
    const folder = queue[i]!;
    result.push(folder);
    queue.push(...(byParent.get(folder.id) ?? []));
  }
  return result;
}

/** The folder's path below `root`, as segments ("Work/2024" -> ["Work", "2024"]); [] for root. */
function segmentsBelow(root: Folder, folder: Folder): string[] {
  if (folder.id === root.id) return [];
  const prefix = `${root.path}${root.delimiter}`;
  const relative = folder.path.startsWith(prefix) ? folder.path.slice(prefix.length) : folder.name;
  return relative.split(folder.delimiter).filter((segment) => segment.length > 0);
}

export function mapFolders(
  root: Folder,
  locals: readonly Folder[],
  remote: readonly RemoteFolder[],
): FolderTarget[] {
  const delimiter = remote.find((folder) => folder.delimiter)?.delimiter ?? '/';
  const remoteByPath = new Map(remote.map((folder) => [folder.path.toLowerCase(), folder]));
  const byRole = new Map<FolderRole, RemoteFolder>();
  for (const folder of remote)
    if (folder.role !== null && !byRole.has(folder.role)) byRole.set(folder.role, folder);

  const targets: FolderTarget[] = [];
  for (const local of locals) {
    const segments = segmentsBelow(root, local);
    const isTopLevel = segments.length === 1;
    const role = local.role ?? (isTopLevel ? (ROLE_BY_NAME[segments[0]!.toLowerCase()] ?? null) : null);
    if (role === 'outbox') continue;
    if (role === 'inbox') {
      targets.push({ local, remotePath: INBOX, exists: true });
      continue;
    }
    const special = role === null ? undefined : byRole.get(role);
    if (special !== undefined) {
      targets.push({ local, remotePath: special.path, exists: true });
      continue;
    }
    // The kept root itself ("ana@example.com") maps to INBOX only if mail sits in it directly.
    const remotePath = segments.length === 0 ? INBOX : segments.join(delimiter);
    const known = remoteByPath.get(remotePath.toLowerCase());
    targets.push({
      local,
      remotePath: known?.path ?? remotePath,
      exists: known !== undefined && !known.noSelect,
    });
  }
  return targets;
}
