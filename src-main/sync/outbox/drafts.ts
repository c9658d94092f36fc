/**
 * Saving a draft: locally first (the account's Drafts for POP3, Local Folders' Drafts otherwise),
 * which always works offline; then, for IMAP accounts, in the server's Drafts folder, where the
 * new version replaces the older ones (same Message-ID). A server that cannot be reached leaves
 * the local draft saved and says so; the next save tries again.
 */
import { isMailError } from '../../domain/errors';
import type { AccountId, MessageId } from '../../domain/ids';
import type { SqliteMailStore } from '../../store/mail-store';
import { withImap, type AccountAccess } from './account-access';
import type { FollowUpEvents } from './follow-ups';
import { removeDraft, replaceDraft } from './imap-copies';
import { deleteLocalMessages, draftsFolderFor, storeLocalMessage } from './local-copies';

export type DraftEvents = FollowUpEvents;

export interface SavedDraft {
  draftMessageId: number;
  savedAt: number;
  /** null: the account keeps drafts only here; true/false: the server copy was (not) saved. */
  isOnServer: boolean | null;
  /** Why the server copy could not be saved, in words. */
  serverError: string | null;
}

export interface DraftVersion {
  accountId: AccountId;
  /** The account the previous version was saved for, when it was another one. */
  previousAccountId: AccountId | null;
  raw: Buffer;
  messageIdHeader: string;
}

function isImap(store: SqliteMailStore, accountId: AccountId): boolean {
  return store.accounts.get(accountId)?.kind === 'imap';
}

/** Local rows of this draft in the drafts folders of these accounts, except `keep`. */
async function deleteLocalVersions(
  store: SqliteMailStore,
  events: DraftEvents,
  accounts: readonly (AccountId | null)[],
  messageIdHeader: string,
  keep: MessageId | null,
): Promise<void> {
  const folders = [...new Map(accounts.map((a) => draftsFolderFor(store, a)).map((f) => [f.id, f])).values()];
  for (const folder of folders) {
    const older = store.composer
      .findByMessageIdHeader(folder.id, messageIdHeader)
      .filter((row) => row.id !== keep)
      .map((row) => row.id);
    if (older.length === 0) continue;
    await deleteLocalMessages(store, older);
    events.foldersChanged([folder.id]);
  }
}

export async function saveDraftVersions(
  store: SqliteMailStore,
  access: AccountAccess,
  events: DraftEvents,
  version: DraftVersion,
): Promise<SavedDraft> {
  const folder = draftsFolderFor(store, version.accountId);
  const { copy } = await storeLocalMessage(
    store,
    folder,
    version.raw,
    { seen: true, draft: true },
    () => undefined,
  );
  events.foldersChanged([folder.id]);
  await deleteLocalVersions(
    store,
    events,
    [version.accountId, version.previousAccountId],
    version.messageIdHeader,
    copy.id,
  );
  let isOnServer: boolean | null = null;
  let serverError: string | null = null;
  if (isImap(store, version.accountId)) {
    try {
      await withImap(access, version.accountId, (session) =>
        replaceDraft(session, version.raw, version.messageIdHeader, new Date()),
      );
      isOnServer = true;
      events.serverChanged(version.accountId);
    } catch (error) {
      isOnServer = false;
      serverError = isMailError(error) ? error.message : 'The draft could not be saved on the server.';
    }
  }
  const previous = version.previousAccountId;
  if (previous !== null && previous !== version.accountId && isImap(store, previous)) {
    // The draft now belongs to another account: its copy on the old account's server goes.
    await withImap(access, previous, (session) => removeDraft(session, version.messageIdHeader)).catch(
      () => undefined,
    );
  }
  return { draftMessageId: copy.id, savedAt: Date.now(), isOnServer, serverError };
}

/** Removes every version of a draft, here and on the server (a discarded draft). */
export async function removeDraftEverywhere(
  store: SqliteMailStore,
  access: AccountAccess,
  events: DraftEvents,
  accountId: AccountId,
  messageIdHeader: string,
): Promise<void> {
  await deleteLocalVersions(store, events, [accountId], messageIdHeader, null);
  if (isImap(store, accountId)) {
    await withImap(access, accountId, (session) => removeDraft(session, messageIdHeader));
  }
}
