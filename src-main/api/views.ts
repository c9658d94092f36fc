/**
 * Domain -> wire shapes. The UI receives only these: no paths, no raw MIME, no unsanitised HTML.
 */
import type { Account } from '../domain/account';
import type { Folder } from '../domain/folder';
import type { MessageSummary } from '../domain/message';
import type { AccountView, FolderView, MessageRow } from './contract';

export function accountView(account: Account): AccountView {
  return { id: account.id, kind: account.kind, displayName: account.displayName, email: account.email };
}

export function folderView(folder: Folder, counts: { unread: number; total: number }): FolderView {
  return {
    id: folder.id,
    accountId: folder.accountId,
    parentId: folder.parentId,
    name: folder.name,
    path: folder.path,
    role: folder.role,
    unread: counts.unread,
    total: counts.total,
  };
}

export function messageRow(message: MessageSummary): MessageRow {
  return {
    id: message.id,
    folderId: message.folderId,
    subject: message.subject,
    from: message.from,
    date: message.date,
    size: message.size,
    isSeen: message.flags.seen,
    isFlagged: message.flags.flagged,
    isAnswered: message.flags.answered,
    hasAttachments: message.hasAttachments,
    snippet: message.snippet,
    ...recipientSummary(message),
  };
}

/** The list names who a sent message or a draft went to: To, or Cc for a message with no To. */
function recipientSummary(message: MessageSummary): Pick<MessageRow, 'firstRecipient' | 'recipientCount'> {
  const recipients = message.to.length > 0 ? message.to : message.cc;
  return { firstRecipient: recipients[0] ?? null, recipientCount: recipients.length };
}
