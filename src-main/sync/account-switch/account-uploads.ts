import { rm } from 'node:fs/promises';
import type { AccountCredentials } from '../../accounts/account-credentials';
import type { AccountSettingsStore } from '../../accounts/account-settings-store';
import { MailError } from '../../domain/errors';
import type { AccountId, FolderId } from '../../domain/ids';
import type { TlsTrust } from '../../domain/security';
import { ImapSession } from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';
import { uploadLocalMail, type UploadProgress, type UploadSummary } from './local-mail-upload';
import { UploadJournal, uploadJournalPath } from './upload-journal';

/**
 * Runs "Upload the mail already here" for an IMAP account: opens its own IMAP session with the
 * account's sign-in and pinned certificate, uploads, and logs out. One upload per account at a
 * time; a second request for the same account joins the one running.
 */

export interface AccountUploadsOptions {
  store: SqliteMailStore;
  settings: AccountSettingsStore;
  credentials: AccountCredentials;
  trustFor: (host: string, port: number) => Promise<TlsTrust | undefined>;
  /** Where the journal lives (the data directory). */
  dataDir: string;
}

export class AccountUploads {
  readonly #options: AccountUploadsOptions;
  readonly #running = new Map<AccountId, Promise<UploadSummary>>();

  constructor(options: AccountUploadsOptions) {
    this.#options = options;
  }

  upload(
    accountId: AccountId,
    folderId: FolderId,
    onProgress: (progress: UploadProgress) => void,
  ): Promise<UploadSummary> {
    const running = this.#running.get(accountId);
    if (running) return running;
    const upload = this.#run(accountId, folderId, onProgress).finally(() => this.#running.delete(accountId));
    this.#running.set(accountId, upload);
    return upload;
  }

  /**
   * Forgets what was uploaded for a removed account: a later account may get the same id (SQLite
   * reuses the highest rowid), and must not inherit this record.
   */
  async forget(accountId: AccountId): Promise<void> {
    await rm(uploadJournalPath(this.#options.dataDir, accountId), { force: true });
  }

  async #run(
    accountId: AccountId,
    folderId: FolderId,
    onProgress: (progress: UploadProgress) => void,
  ): Promise<UploadSummary> {
    const { store, settings } = this.#options;
    const config = settings.config(accountId);
    if (config.incoming.protocol !== 'imap') {
      throw new MailError('BAD_REQUEST', 'Mail can be uploaded only to an IMAP account.', {
        retryable: false,
      });
    }
    const folder = store.folders.get(folderId);
    if (!folder) {
      throw new MailError('NOT_FOUND', 'The folder with the mail to upload no longer exists.', {
        retryable: false,
      });
    }
    // Only mail kept here (Local Folders) is uploaded, never another server account's folders.
    if (store.accounts.get(folder.accountId)?.kind !== 'local') {
      throw new MailError('BAD_REQUEST', 'Only mail kept in Local Folders can be uploaded.', {
        retryable: false,
      });
    }
    const journal = await UploadJournal.open(this.#options.dataDir, accountId);
    const session = await ImapSession.connect({
      host: config.incoming.host,
      port: config.incoming.port,
      security: config.incoming.security,
      username: config.incoming.username,
      auth: await this.#options.credentials.authFor(accountId),
      trust: await this.#options.trustFor(config.incoming.host, config.incoming.port),
    });
    try {
      return await uploadLocalMail({ store, session, journal, rootFolderId: folderId, onProgress });
    } finally {
      // RFC 3501 §6.1.3; a session the server already closed just closes.
      await session.logout().catch(() => session.close());
    }
  }
}
