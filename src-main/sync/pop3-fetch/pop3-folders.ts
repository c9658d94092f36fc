/**
 * A POP3 account's folders are local (RFC 1939 has one maildrop and no folders): Inbox, where new
 * mail arrives, plus Drafts, Sent and Trash, and whatever the user creates.
 */
import { MailError } from '../../domain/errors';
import { LOCAL_DEFAULT_FOLDERS } from '../../domain/folder';
import type { Folder } from '../../domain/folder';
import type { AccountId } from '../../domain/ids';
import type { SqliteMailStore } from '../../store/mail-store';

/** Local paths use "/" like Local Folders, so moving a tree between them is simple. */
export const POP3_FOLDER_DELIMITER = '/';

export type Pop3FolderStore = Pick<SqliteMailStore, 'accounts' | 'folders' | 'transaction'>;

/**
 * Creates whichever of Inbox, Drafts, Sent and Trash the account lacks (by role, or by name for a
 * folder the user made) and returns its Inbox. Idempotent.
 */
export function ensurePop3Folders(store: Pop3FolderStore, accountId: AccountId): Folder {
  return store.transaction(() => {
    const account = store.accounts.get(accountId);
    if (!account) throw new MailError('NOT_FOUND', 'That account no longer exists.', { retryable: false });
    if (account.kind !== 'pop3') {
      throw new MailError('BAD_REQUEST', 'This account does not use POP3.', {
        detail: `account ${accountId} is ${account.kind}`,
        retryable: false,
      });
    }
    for (const { name, role } of LOCAL_DEFAULT_FOLDERS) {
      if (store.folders.findByRole(accountId, role) || store.folders.findByPath(accountId, name)) continue;
      store.folders.insert({
        accountId,
        parentId: null,
        name,
        path: name,
        delimiter: POP3_FOLDER_DELIMITER,
        role,
      });
    }
    const inbox =
      store.folders.findByRole(accountId, 'inbox') ?? store.folders.findByPath(accountId, 'Inbox');
    if (!inbox) throw new MailError('INTERNAL', 'The Inbox of this account could not be created.');
    return inbox;
  });
}
