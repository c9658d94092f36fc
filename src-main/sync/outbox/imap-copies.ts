/**
 * The server side of sending on an IMAP account, over a short session of our own: the Sent copy
 * (APPEND with \Seen, RFC 3501 §6.3.11), drafts in the Drafts folder (APPEND the new version,
 * then remove the older ones: never a moment without a saved draft), and \Answered / $Forwarded
 * on the message replied to (RFC 3501 §2.3.2, RFC 5788). The IMAP sync engine then sees these
 * changes like any other.
 */
import type { FolderRole } from '../../domain/folder';
import { MailError } from '../../domain/errors';
import { addFlags, append, deleteForever, listFolders, type ImapSession } from '../../protocols/imap';

/** Used when the server marks no folder with the role (RFC 6154 SPECIAL-USE absent). */
const DEFAULT_PATHS: Readonly<Record<'sent' | 'drafts', string>> = { sent: 'Sent', drafts: 'Drafts' };

/** The server's folder for `role`: by SPECIAL-USE or well-known name, else the default name. */
export async function folderPathFor(session: ImapSession, role: 'sent' | 'drafts'): Promise<string> {
  const folders = await listFolders(session);
  const match = folders.find((folder) => folder.role === (role satisfies FolderRole) && !folder.noSelect);
  return match?.path ?? DEFAULT_PATHS[role];
}

/** UIDs in `path` whose Message-ID is `messageIdHeader` (UID SEARCH HEADER, RFC 3501 §6.4.4). */
export async function uidsWithMessageId(
  session: ImapSession,
  path: string,
  messageIdHeader: string,
): Promise<number[]> {
  return session.withMailbox(path, async () => {
    const found = await session.command((client) =>
      client.search({ header: { 'message-id': `<${messageIdHeader}>` } }, { uid: true }),
    );
    if (found === false) throw session.refused(`UID SEARCH HEADER Message-ID in ${path}`);
    return Array.isArray(found) ? found : [];
  });
}

/** Saves the Sent copy, read (\Seen): the user wrote it. */
export async function appendSentCopy(session: ImapSession, raw: Buffer, date: Date): Promise<void> {
  await append(session, await folderPathFor(session, 'sent'), raw, ['\\Seen'], date);
}

/**
 * Saves a draft version and removes the versions saved before it (same Message-ID). The new one
 * goes first, so a failure in between leaves two drafts, never none.
 */
export async function replaceDraft(
  session: ImapSession,
  raw: Buffer,
  messageIdHeader: string,
  date: Date,
): Promise<void> {
  const path = await folderPathFor(session, 'drafts');
  const before = await uidsWithMessageId(session, path, messageIdHeader);
  const saved = await append(session, path, raw, ['\\Seen', '\\Draft'], date);
  const older = before.filter((uid) => uid !== saved.uid);
  if (older.length > 0) await deleteForever(session, path, older);
}

/** Removes every saved version of a draft (after it was sent or discarded). */
export async function removeDraft(session: ImapSession, messageIdHeader: string): Promise<void> {
  const path = await folderPathFor(session, 'drafts');
  const uids = await uidsWithMessageId(session, path, messageIdHeader);
  if (uids.length > 0) await deleteForever(session, path, uids);
}

/** \Answered or $Forwarded on the original, by its UID in its folder. */
export async function flagOriginal(
  session: ImapSession,
  path: string,
  uid: number,
  kind: 'answered' | 'forwarded',
): Promise<void> {
  if (!Number.isSafeInteger(uid) || uid <= 0) {
    throw new MailError('BAD_REQUEST', 'The original message has no server UID.', { retryable: false });
  }
  await addFlags(session, path, [uid], [kind === 'answered' ? '\\Answered' : '$Forwarded']);
}
