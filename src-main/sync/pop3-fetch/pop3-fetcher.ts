/**
 * The POP3 engine's face: "Get mail" for an account (checkMail), the full download of a message
 * stored as headers only (downloadFull), and "deleted here" for the leave-on-server options
 * (markDeletedHere). Work on one account runs one session at a time, so a scheduled check, the
 * button and opening a large message never hold two sessions on one maildrop (many servers lock
 * it, RFC 2449 §8.1.1 IN-USE); a check asked for while one runs joins the running one.
 */
import { MailError } from '../../domain/errors';
import type { Folder } from '../../domain/folder';
import type { AccountId, FolderId, MessageId } from '../../domain/ids';
import type { Logger } from '../../domain/logger';
import { Pop3Client } from '../../protocols/pop3';
import type { Pop3ConnectOptions, Pop3Timeouts } from '../../protocols/pop3';
import type { SqliteMailStore } from '../../store/mail-store';
import type { StoredMessage } from '../../store/message-rows';
import { assertValidSettings } from './account-settings';
import type { Pop3AccountSettings } from './account-settings';
import type { CheckResult } from './check-result';
import { BATCH_MAX_BYTES, BATCH_MAX_MESSAGES, BATCH_MAX_WAIT_MS, CheckSession } from './check-session';
import type { BatchLimits } from './check-session';
import { completeHeadersOnly, headersOnlyUidl } from './full-download';
import { ensurePop3Folders } from './pop3-folders';
import { ProgressReporter } from './progress';
import type { Pop3Progress } from './progress';

export type Pop3FetchStore = Pick<
  SqliteMailStore,
  'accounts' | 'folders' | 'messages' | 'search' | 'emlFiles' | 'pop3Uidls' | 'transaction' | 'syncToDisk'
>;

export interface Pop3FetcherOptions {
  store: Pop3FetchStore;
  /** Shaped like the API's `sync.progress` event. */
  onProgress?: (progress: Pop3Progress) => void;
  /** Once per check that stored new mail: for the notification and the unread count (`mail.arrived`). */
  onNewMail?: (folderId: FolderId, count: number) => void;
  /** After each committed batch, so an open message list fills in while a long download runs. */
  onFolderChanged?: (folderIds: FolderId[]) => void;
  /**
   * After every successful login, with the LOGIN-DELAY the server states in CAPA after login
   * (RFC 2449 §6.5, seconds; null when it states none), so the scheduler can respect it.
   */
  onLoggedIn?: (accountId: AccountId, loginDelaySeconds: number | null) => void;
  logger?: Logger;
  /** The clock for "delete after N days" and arrival times; tests inject one. */
  now?: () => number;
  timeouts?: Pop3Timeouts;
  batchLimits?: Partial<BatchLimits>;
}

export class Pop3Fetcher {
  private readonly now: () => number;
  private readonly batchLimits: BatchLimits;
  /** Per account: the tail of its queue of sessions. */
  private readonly queues = new Map<AccountId, Promise<unknown>>();
  /** Per account: the check waiting or running, which a second request joins. */
  private readonly checks = new Map<AccountId, Promise<CheckResult>>();
  /** Per account: the sessions open now, for cancel(). */
  private readonly sessions = new Map<AccountId, Set<Pop3Client>>();

  constructor(private readonly options: Pop3FetcherOptions) {
    this.now = options.now ?? Date.now;
    this.batchLimits = {
      maxMessages: options.batchLimits?.maxMessages ?? BATCH_MAX_MESSAGES,
      maxBytes: options.batchLimits?.maxBytes ?? BATCH_MAX_BYTES,
      maxWaitMs: options.batchLimits?.maxWaitMs ?? BATCH_MAX_WAIT_MS,
    };
  }

  /** Inbox, Drafts, Sent and Trash for a POP3 account (call when the account is created); returns Inbox. */
  ensureFolders(accountId: AccountId): Folder {
    return ensurePop3Folders(this.options.store, accountId);
  }

  /** Downloads new mail into the account's Inbox and applies the server options. */
  checkMail(settings: Pop3AccountSettings): Promise<CheckResult> {
    const running = this.checks.get(settings.accountId);
    if (running) return running;
    const check = this.enqueue(settings.accountId, () => this.runCheck(settings)).finally(() => {
      this.checks.delete(settings.accountId);
    });
    this.checks.set(settings.accountId, check);
    return check;
  }

  /**
   * Fetches the whole of a message stored as headers only and returns its updated row (same id);
   * a message that is already whole is returned as it is, with no network.
   */
  downloadFull(settings: Pop3AccountSettings, messageId: MessageId): Promise<StoredMessage> {
    return this.enqueue(settings.accountId, async () => {
      const { store } = this.options;
      const uidl = headersOnlyUidl(store, settings, messageId);
      if (uidl === null) {
        const stored = store.messages.get(messageId);
        if (!stored)
          throw new MailError('NOT_FOUND', 'This message was deleted.', { detail: `message ${messageId}` });
        return stored;
      }
      const client = await this.connect(settings);
      try {
        return await completeHeadersOnly(store, settings, client, messageId, uidl);
      } finally {
        client.close(); // no-op after QUIT; without QUIT the server applies no DELE (RFC 1939 §6)
        this.forget(settings.accountId, client);
      }
    });
  }

  /**
   * Ends the account's open sessions at once (the app quits, the account is removed or changed).
   * They close without QUIT, so the server applies none of their DELEs (RFC 1939 §6); what was
   * committed stays here and the next check deletes it from the server without downloading it
   * again. The running check then fails with CANCELLED or CONNECTION_LOST.
   */
  cancel(accountId: AccountId): void {
    for (const client of this.sessions.get(accountId) ?? []) client.close();
  }

  /** Whether only the headers of this message are stored (open it with downloadFull). */
  isHeadersOnly(messageId: MessageId): boolean {
    return this.options.store.pop3Uidls.forMessage(messageId)?.state === 'headers_only';
  }

  /**
   * Records that the user deleted these messages here (moved to Trash or removed), so "delete from
   * server when I delete it here" removes them at the next check and no check downloads them again.
   * Removing a row from the store counts as deleted here by itself (a trigger in the ledger).
   */
  markDeletedHere(messageIds: readonly MessageId[]): number {
    return this.options.store.pop3Uidls.markDeletedHere(messageIds);
  }

  private async runCheck(settings: Pop3AccountSettings): Promise<CheckResult> {
    assertValidSettings(settings);
    const inbox = this.ensureFolders(settings.accountId);
    const progress = new ProgressReporter(settings.accountId, this.options.onProgress, this.now);
    let stored = 0;
    let client: Pop3Client | null = null;
    try {
      progress.report('connecting', 0, 0);
      client = await this.connect(settings);
      const session = new CheckSession(
        {
          store: this.options.store,
          settings,
          inbox,
          progress,
          now: this.now,
          batchLimits: this.batchLimits,
          logger: this.options.logger,
          onStored: (count) => {
            stored += count;
            this.options.onFolderChanged?.([inbox.id]);
          },
        },
        client,
      );
      const result = await session.run();
      progress.report('done', result.downloaded + result.headersOnly, result.downloaded + result.headersOnly);
      return result;
    } catch (error) {
      progress.report('failed', stored, stored);
      throw error;
    } finally {
      this.forget(settings.accountId, client);
      if (stored > 0) this.options.onNewMail?.(inbox.id, stored);
    }
  }

  private async connect(settings: Pop3AccountSettings): Promise<Pop3Client> {
    const options: Pop3ConnectOptions = {
      host: settings.host,
      port: settings.port,
      security: settings.security,
      username: settings.username,
      ...(settings.accessToken !== undefined ? { accessToken: settings.accessToken } : {}),
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      ...(settings.trust !== undefined ? { trust: settings.trust } : {}),
      ...(this.options.timeouts !== undefined ? { timeouts: this.options.timeouts } : {}),
    };
    const client = await Pop3Client.connect(options);
    this.options.onLoggedIn?.(settings.accountId, client.capabilities.loginDelaySeconds);
    const open = this.sessions.get(settings.accountId) ?? new Set<Pop3Client>();
    open.add(client);
    this.sessions.set(settings.accountId, open);
    return client;
  }

  private forget(accountId: AccountId, client: Pop3Client | null): void {
    const open = this.sessions.get(accountId);
    if (!open || client === null) return;
    open.delete(client);
    if (open.size === 0) this.sessions.delete(accountId);
  }

  private enqueue<T>(accountId: AccountId, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(accountId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.queues.set(accountId, tail);
    void tail.then(() => {
      if (this.queues.get(accountId) === tail) this.queues.delete(accountId);
    });
    return next;
  }
}
