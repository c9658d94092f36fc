import { MailError } from '../../domain/errors';
import type { FolderRole } from '../../domain/folder';
import { assignRoles, isInboxPath } from './folder-roles';
import type { ImapSession } from './session';

/**
 * The folder tree: LIST with subscription state and SPECIAL-USE (RFC 3501 §6.3.8, RFC 5258,
 * RFC 6154), STATUS (RFC 3501 §6.3.10 + HIGHESTMODSEQ, RFC 7162 §3.1.2.1), CREATE, RENAME, DELETE.
 */

export interface RemoteFolder {
  /** Full path as the server names it, e.g. "Work/Reports" (decoded from modified UTF-7). */
  path: string;
  /** Last segment. */
  name: string;
  delimiter: string;
  /** Path of the parent folder; '' at the top level. */
  parentPath: string;
  role: FolderRole | null;
  subscribed: boolean;
  /** \Noselect or \NonExistent: a node of the hierarchy that holds no messages. */
  noSelect: boolean;
}

export interface FolderStatus {
  messages: number;
  unseen: number;
  uidNext: number;
  uidValidity: bigint;
  /** Null when the server has no CONDSTORE or the mailbox has no mod-sequences (RFC 7162 §3.1.2.2). */
  highestModseq: bigint | null;
}

const NO_SELECT_ATTRIBUTES = new Set(['\\noselect', '\\nonexistent']);

export async function listFolders(session: ImapSession): Promise<RemoteFolder[]> {
  const entries = await session.command((client) => client.list());
  const roles = assignRoles(
    entries.map((entry) => ({
      path: entry.path,
      name: entry.name,
      parentPath: entry.parentPath,
      // imapflow also guesses from names ("name"); the name table here is ours (folder-roles.ts).
      specialUse: entry.specialUseSource === 'extension' && entry.specialUse ? entry.specialUse : null,
    })),
  );
  return entries.map((entry) => ({
    path: entry.path,
    // RFC 3501 §5.1: INBOX is case-insensitive and servers spell it "INBOX"; users know it as Inbox.
    name: entry.path.toUpperCase() === 'INBOX' ? 'Inbox' : entry.name,
    delimiter: entry.delimiter,
    parentPath: entry.parentPath,
    role: roles.get(entry.path) ?? null,
    subscribed: entry.subscribed,
    noSelect: [...entry.flags].some((flag) => NO_SELECT_ATTRIBUTES.has(flag.toLowerCase())),
  }));
}

export async function folderStatus(session: ImapSession, path: string): Promise<FolderStatus> {
  const status = await session.command((client) =>
    client.status(path, {
      messages: true,
      unseen: true,
      uidNext: true,
      uidValidity: true,
      highestModseq: session.capabilities.condstore,
    }),
  );
  if (status === false) throw session.refused(`STATUS ${path}`);
  if (status.uidValidity === undefined || status.uidNext === undefined) {
    throw new MailError('SERVER_REJECTED', 'The mail server sent an incomplete folder status.', {
      detail: path,
    });
  }
  return {
    messages: status.messages ?? 0,
    unseen: status.unseen ?? 0,
    uidNext: status.uidNext,
    uidValidity: status.uidValidity,
    highestModseq: status.highestModseq ?? null,
  };
}

/** CREATE (RFC 3501 §6.3.3) and SUBSCRIBE; an existing folder is not an error (`created: false`). */
export async function createFolder(
  session: ImapSession,
  path: string,
): Promise<{ path: string; created: boolean }> {
  const result = await session.command((client) => client.mailboxCreate(path));
  return { path: result.path, created: result.created };
}

/**
 * RENAME (RFC 3501 §6.3.5): "inferior hierarchical names MUST also be renamed", so the children
 * move with it on the server. Returns the new path. Renaming INBOX is refused: RFC 3501 defines it
 * as moving every message out of INBOX, which is never what "rename" means to a user.
 */
export async function renameFolder(session: ImapSession, path: string, newPath: string): Promise<string> {
  if (isInboxPath(path)) {
    throw new MailError('BAD_REQUEST', 'The Inbox cannot be renamed.', { retryable: false, detail: path });
  }
  const result = await session.command((client) => client.mailboxRename(path, newPath));
  return result.newPath;
}

/** DELETE (RFC 3501 §6.3.4). Servers may refuse a folder that still has subfolders; that surfaces as SERVER_REJECTED. */
export async function deleteFolder(session: ImapSession, path: string): Promise<void> {
  if (isInboxPath(path)) {
    throw new MailError('BAD_REQUEST', 'The Inbox cannot be deleted.', { retryable: false, detail: path });
  }
  await session.command((client) => client.mailboxDelete(path));
}
