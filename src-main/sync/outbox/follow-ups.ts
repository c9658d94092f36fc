/**
 * What happens after the server accepted a message: the Sent copy (IMAP APPEND with \Seen, or the
 * account's local Sent folder for POP3 and anything without IMAP), \Answered or $Forwarded on the
 * original (here and, for IMAP, on the server), and the draft it was written in goes. Each step can
 * run again without harm, except the Sent copy, which is recorded once saved.
 */
import type { AccountId, FolderId } from '../../domain/ids';
import type { SqliteMailStore } from '../../store/mail-store';
import type { OutboxItem } from '../../store/outbox-repo';
import { withImap, type AccountAccess } from './account-access';
import { appendSentCopy, flagOriginal, removeDraft } from './imap-copies';
import { deleteLocalMessages, draftsFolderFor, sentFolderFor, storeLocalMessage } from './local-copies';

export interface FollowUpEvents {
  /** These folders' lists and counts changed. */
  foldersChanged(folderIds: FolderId[]): void;
  /** We changed this IMAP account's folders on the server (Sent, Drafts): its sync can look now. */
  serverChanged(accountId: AccountId): void;
}

/**
 * Submission servers that file a copy in the account's Sent folder themselves (Gmail, Microsoft
 * 365 / Outlook.com): an APPEND there would show every message twice.
 */
const SAVES_SENT_MAIL = /(^|\.)(gmail\.com|googlemail\.com|office365\.com|outlook\.com)$/i;

export function serverSavesSentMail(outgoingHost: string): boolean {
  return SAVES_SENT_MAIL.test(outgoingHost.trim().replace(/\.$/, ''));
}

function isImap(store: SqliteMailStore, accountId: AccountId): boolean {
  return store.accounts.get(accountId)?.kind === 'imap';
}

async function saveSentCopy(
  store: SqliteMailStore,
  access: AccountAccess,
  events: FollowUpEvents,
  item: OutboxItem,
): Promise<void> {
  if (item.isSentCopySaved) return;
  if (isImap(store, item.accountId) && serverSavesSentMail(access.config(item.accountId).outgoing.host)) {
    store.outbox.markSentCopySaved(item.id);
    events.serverChanged(item.accountId);
    return;
  }
  if (isImap(store, item.accountId)) {
    const raw = await store.emlFiles.read(item.emlPath);
    await withImap(access, item.accountId, (session) =>
      appendSentCopy(session, raw, new Date(item.sentAt ?? Date.now())),
    );
    store.outbox.markSentCopySaved(item.id);
    events.serverChanged(item.accountId);
    return;
  }
  const sent = sentFolderFor(store, item.accountId);
  const copy = item.messageId === null ? null : store.messages.get(item.messageId);
  if (copy) {
    store.transaction(() => {
      store.composer.moveAndMarkSeen(copy.id, sent.id);
      store.outbox.markSentCopySaved(item.id);
    });
    events.foldersChanged([copy.folderId, sent.id]);
    return;
  }
  const raw = await store.emlFiles.read(item.emlPath);
  await storeLocalMessage(store, sent, raw, { seen: true }, () => store.outbox.markSentCopySaved(item.id));
  events.foldersChanged([sent.id]);
}

async function flagTheOriginal(
  store: SqliteMailStore,
  access: AccountAccess,
  events: FollowUpEvents,
  item: OutboxItem,
): Promise<void> {
  if (item.original === null) return;
  const original = store.messages.get(item.original.messageId);
  if (!original) return; // deleted meanwhile: nothing to mark
  const change = store.messages.setFlags([original.id], item.original.kind, true);
  if (change.changed > 0) events.foldersChanged(change.folderIds);
  if (original.imapUid === null || !isImap(store, original.accountId)) return;
  const folder = store.folders.get(original.folderId);
  if (!folder) return;
  const kind = item.original.kind;
  const uid = original.imapUid;
  await withImap(access, original.accountId, (session) => flagOriginal(session, folder.path, uid, kind));
}

async function removeSentDraft(
  store: SqliteMailStore,
  access: AccountAccess,
  events: FollowUpEvents,
  item: OutboxItem,
): Promise<void> {
  const header = item.draftMessageIdHeader;
  if (header === null) return;
  const folder = draftsFolderFor(store, item.accountId);
  const rows = store.composer.findByMessageIdHeader(folder.id, header);
  if (rows.length > 0) {
    await deleteLocalMessages(
      store,
      rows.map((row) => row.id),
    );
    events.foldersChanged([folder.id]);
  }
  if (isImap(store, item.accountId))
    await withImap(access, item.accountId, (session) => removeDraft(session, header));
}

export async function runFollowUps(
  store: SqliteMailStore,
  access: AccountAccess,
  events: FollowUpEvents,
  item: OutboxItem,
): Promise<void> {
  await saveSentCopy(store, access, events, item);
  await flagTheOriginal(store, access, events, item);
  await removeSentDraft(store, access, events, item);
}
