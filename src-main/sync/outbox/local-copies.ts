/**
 * Messages the composer keeps in the local store: the Outbox copy, drafts, and the Sent copy of a
 * POP3 account. Each is an .eml file written durably and then one committed row, as every other
 * message here (the file first: a crash leaves an unused file, never a row without its file).
 */
import { NO_FLAGS, type MessageFlags } from '../../domain/flags';
import type { Folder, FolderRole } from '../../domain/folder';
import { MailError } from '../../domain/errors';
import type { AccountId, FolderId, MessageId } from '../../domain/ids';
import type { SqliteMailStore } from '../../store/mail-store';
import { parseForIngest, toNewMessage, toSearchDocument } from '../message-ingest';

export const OUTBOX_FOLDER_NAME = 'Outbox';

export interface StoredCopy {
  id: MessageId;
  emlPath: string;
  folderId: FolderId;
}

/** Writes `raw` to an .eml file and adds it to `folder`; `alsoInTransaction` commits with the row. */
export async function storeLocalMessage<T>(
  store: SqliteMailStore,
  folder: Pick<Folder, 'id' | 'accountId'>,
  raw: Buffer,
  flags: Partial<MessageFlags>,
  alsoInTransaction: (copy: StoredCopy) => T,
): Promise<{ copy: StoredCopy; result: T }> {
  const emlPath = await store.emlFiles.write(raw);
  const parsed = parseForIngest(raw);
  const now = Date.now();
  try {
    return store.transaction(() => {
      const id = store.messages.insert(
        toNewMessage(parsed, folder, {
          emlPath,
          size: raw.length,
          receivedAt: now,
          flags: { ...NO_FLAGS, ...flags },
        }),
      );
      store.search.index(id, toSearchDocument(parsed));
      const copy = { id, emlPath, folderId: folder.id };
      return { copy, result: alsoInTransaction(copy) };
    });
  } catch (error) {
    await store.emlFiles.remove(emlPath).catch(() => undefined);
    throw error;
  }
}

/** Deletes rows (committed first) and then their files, unless another row still uses a file. */
export async function deleteLocalMessages(store: SqliteMailStore, ids: readonly MessageId[]): Promise<void> {
  if (ids.length === 0) return;
  const paths = store.transaction(() => store.composer.deleteMessages(ids));
  for (const emlPath of paths) {
    if (store.composer.isEmlUsed(emlPath) || store.outbox.usesOfEml(emlPath) > 0) continue;
    await store.emlFiles.remove(emlPath).catch(() => undefined);
  }
}

function localAccountId(store: SqliteMailStore): AccountId {
  return store.ensureLocalFolders().account.id;
}

function requireRole(store: SqliteMailStore, accountId: AccountId, role: FolderRole): Folder {
  const folder = store.folders.findByRole(accountId, role);
  if (!folder) throw new MailError('NOT_FOUND', `The local ${role} folder is missing.`, { retryable: false });
  return folder;
}

/** Local Folders' Outbox, created the first time a message is sent. Returns it and whether it is new. */
export function ensureOutboxFolder(store: SqliteMailStore): { folder: Folder; isNew: boolean } {
  return store.transaction(() => {
    const accountId = localAccountId(store);
    const existing = store.folders.findByRole(accountId, 'outbox');
    if (existing) return { folder: existing, isNew: false };
    const byName = store.folders.findByPath(accountId, OUTBOX_FOLDER_NAME);
    const folder =
      byName ??
      store.folders.insert({
        accountId,
        parentId: null,
        name: OUTBOX_FOLDER_NAME,
        path: OUTBOX_FOLDER_NAME,
        delimiter: '/',
        role: 'outbox',
      });
    return { folder, isNew: true };
  });
}

/** POP3 mail lives here, so its drafts and sent mail do too; other accounts use Local Folders. */
function ownOrLocal(store: SqliteMailStore, accountId: AccountId | null, role: 'drafts' | 'sent'): Folder {
  const account = accountId === null ? null : store.accounts.get(accountId);
  if (account?.kind === 'pop3') {
    const own = store.folders.findByRole(account.id, role);
    if (own) return own;
  }
  return requireRole(store, localAccountId(store), role);
}

export function draftsFolderFor(store: SqliteMailStore, accountId: AccountId | null): Folder {
  return ownOrLocal(store, accountId, 'drafts');
}

export function sentFolderFor(store: SqliteMailStore, accountId: AccountId): Folder {
  return ownOrLocal(store, accountId, 'sent');
}
