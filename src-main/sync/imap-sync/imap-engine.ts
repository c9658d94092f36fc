/**
 * The IMAP account engine: one background loop per account that keeps the store equal to the
 * server. Each cycle connects if needed, replays the actions queued here (so a sync never undoes
 * them), syncs the folder list, then every folder's headers (Inbox first, newest first), then
 * bodies by the offline policy. Between cycles a second connection IDLEs on the Inbox (RFC 2177)
 * and wakes the loop on new mail; the other folders are checked every `checkIntervalMs`.
 * Failures become status ('offline' with the reason while it retries with growing delays,
 * 'error' for what retrying alone cannot fix) and never escape: nothing is lost or duplicated on
 * reconnect because every step is idempotent (UIDs are unique per folder in the store).
 */
import { MailError } from '../../domain/errors';
import type { Folder } from '../../domain/folder';
import type { AccountId, FolderId, MessageId } from '../../domain/ids';
import type { Logger } from '../../domain/logger';
import { ImapSession, listFolders, toMailError, watchMailbox, type MailboxWatch } from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';
import type {
  AccountEngine,
  EngineContext,
  EngineFactory,
  EngineState,
  EngineStatus,
  PendingServerActions,
} from '../engines/account-engine';
import { announceFolderChanges, type SyncEventSink } from '../engines/sync-events';
import {
  loadAccountSettings,
  type ImapAccountSettings,
  type ImapAccountSource,
  type TrustLookup,
} from './account-connection';
import { downloadBodies } from './body-sync';
import { applyFolderList, type SyncedFolder } from './folder-list-sync';
import { syncFolderHeaders, type FolderSyncContext } from './folder-sync';
import { ensureBodyHere } from './open-body';

export type ImapEngineStore = Pick<
  SqliteMailStore,
  'accounts' | 'folders' | 'messages' | 'imapSync' | 'search' | 'emlFiles' | 'transaction'
>;

export interface EngineTiming {
  /** Full checks of every folder (the Inbox is pushed by IDLE). */
  checkIntervalMs: number;
  /** First retry after a failure; doubles with each failure up to retryMaxMs. */
  retryInitialMs: number;
  retryMaxMs: number;
}

/** stop() waits this long at most for the loop to notice. */
const STOP_WAIT_MS = 5_000;

export const DEFAULT_TIMING: EngineTiming = {
  checkIntervalMs: 5 * 60_000,
  retryInitialMs: 2_000,
  retryMaxMs: 5 * 60_000,
};

export interface ImapEngineDeps {
  store: ImapEngineStore;
  accounts: ImapAccountSource;
  trustFor: TrustLookup;
  events: SyncEventSink;
  logger?: Logger;
  /** The durable queue of actions taken here (sync/imap-actions). */
  pending?: PendingServerActions<ImapSession>;
  clientInfo?: { name: string; version: string };
  now?: () => number;
  timing?: Partial<EngineTiming>;
}

/** Builds one engine per IMAP account; the AccountEngines registry calls it. */
export function createImapEngine(deps: ImapEngineDeps): EngineFactory {
  return (accountId, context) => new ImapAccountEngine(accountId, deps, context);
}

export function retryDelay(timing: EngineTiming, failures: number): number {
  return Math.min(timing.retryInitialMs * 2 ** Math.max(0, failures - 1), timing.retryMaxMs);
}

const INBOX_FIRST = (a: SyncedFolder, b: SyncedFolder): number =>
  (a.folder.role === 'inbox' ? 0 : 1) - (b.folder.role === 'inbox' ? 0 : 1);

export class ImapAccountEngine implements AccountEngine {
  readonly accountId: AccountId;
  readonly #deps: ImapEngineDeps;
  readonly #context: EngineContext | undefined;
  readonly #timing: EngineTiming;
  readonly #now: () => number;
  #state: EngineState = 'idle';
  #message: string | null = null;
  #loop: Promise<void> | null = null;
  #isStopped = false;
  #settings: ImapAccountSettings | null = null;
  #session: ImapSession | null = null;
  #watchSession: ImapSession | null = null;
  #watch: MailboxWatch | null = null;
  #bodySession: Promise<ImapSession> | null = null;
  #folders: SyncedFolder[] = [];
  // What the next cycle has to do.
  #wantFull = true;
  #wantInbox = false;
  #hasWork = true;
  #wake: (() => void) | null = null;
  /** checkNow() callers waiting for the next cycle to end. */
  #checkWaiters: Array<() => void> = [];
  #unsubscribeQueued: (() => void) | null = null;

  constructor(accountId: AccountId, deps: ImapEngineDeps, context?: EngineContext) {
    this.accountId = accountId;
    this.#deps = deps;
    this.#context = context;
    this.#timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.#now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.#loop) return;
    this.#isStopped = false;
    this.#unsubscribeQueued =
      this.#deps.pending?.onQueued((accountId) => {
        if (accountId !== this.accountId) return;
        this.#context?.statusChanged();
        this.#signal();
      }) ?? null;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    this.#unsubscribeQueued?.();
    this.#unsubscribeQueued = null;
    this.#signal();
    await this.#closeSessions(true);
    // A connect attempt cannot be cancelled; it ends within CONNECT_DEADLINE_MS and finds the
    // engine stopped, so stop() does not wait for it longer than this.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#loop,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.#loop = null;
    for (const resolve of this.#checkWaiters.splice(0)) resolve();
  }

  checkNow(): Promise<void> {
    if (this.#isStopped || !this.#loop) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#checkWaiters.push(resolve);
      this.#wantFull = true;
      this.#signal();
    });
  }

  status(): EngineStatus {
    return {
      accountId: this.accountId,
      state: this.#state,
      message: this.#message,
      pendingActions: this.#deps.pending?.pendingCount(this.accountId) ?? 0,
    };
  }

  async ensureBody(messageId: MessageId): Promise<void> {
    await ensureBodyHere(this.#deps.store, messageId, () => this.#openBodySession());
  }

  // ---------------------------------------------------------------- the loop

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#isStopped) {
      const waiters = this.#checkWaiters.splice(0);
      try {
        if (this.#hasWork) {
          this.#hasWork = false;
          await this.#cycle(() => {
            failures = 0; // connected: the next failure starts the delays again
          });
        }
        this.#setStatus('idle', null);
        for (const resolve of waiters) resolve();
        if (await this.#sleep(this.#timing.checkIntervalMs)) this.#wantFull = true;
      } catch (error) {
        if (this.#isStopped) break;
        const mailError = toMailError(error);
        failures++;
        this.#deps.logger?.warn('IMAP sync failed', {
          accountId: this.accountId,
          code: mailError.code,
          detail: mailError.detail,
        });
        await this.#closeSessions(false);
        this.#setStatus(mailError.retryable ? 'offline' : 'error', describe(mailError));
        for (const resolve of waiters) resolve();
        this.#wantFull = true;
        // The retry comes when the delay ends (the timer sets #hasWork) or when asked sooner;
        // setting #hasWork before sleeping would skip the delay and spin on a failure that does
        // no I/O (e.g. the account's settings were just removed).
        await this.#sleep(retryDelay(this.#timing, failures));
      }
    }
  }

  /** Waits for work or `ms`; true when the time ran out (nothing asked for the loop). */
  #sleep(ms: number): Promise<boolean> {
    if (this.#hasWork || this.#isStopped) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        this.#hasWork = true;
        resolve(true);
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve(false);
      };
    });
  }

  #signal(): void {
    this.#hasWork = true;
    this.#wake?.();
  }

  async #cycle(onConnected: () => void): Promise<void> {
    const session = await this.#connectSession();
    onConnected();
    const full = this.#wantFull || this.#folders.length === 0;
    const inboxOnly = !full && this.#wantInbox;
    this.#wantFull = false;
    this.#wantInbox = false;
    this.#setStatus('syncing', null);
    // The queue first: what the user did here reaches the server before its state is read back.
    if (this.#deps.pending) {
      try {
        await this.#deps.pending.replay(this.accountId, session);
      } catch (error) {
        // A lost connection ends the cycle; anything else must not stop the account syncing: what
        // is still queued stays protected (hasPendingFor) and is tried again next cycle.
        if (!session.isUsable) throw error;
        this.#deps.logger?.warn('IMAP replay failed', { accountId: this.accountId, error: String(error) });
      }
      this.#context?.statusChanged();
    }
    if (full) {
      await this.#syncFolderList(session);
      await this.#ensureWatch();
      const folders = this.#folders.filter((f) => f.isSelectable).sort(INBOX_FIRST);
      for (const { folder } of folders) await this.#syncHeaders(session, folder);
      for (const { folder } of folders) await this.#syncBodies(session, folder);
    } else if (inboxOnly) {
      await this.#syncInbox(session);
    }
    await this.#ensureWatch();
  }

  async #connectSession(): Promise<ImapSession> {
    if (this.#session?.isUsable) return this.#session;
    this.#session?.close();
    this.#settings = await loadAccountSettings(
      this.accountId,
      this.#deps.accounts,
      this.#deps.trustFor,
      this.#deps.logger,
      this.#deps.clientInfo,
    );
    const session = await ImapSession.connect(this.#settings.connect);
    if (this.#isStopped) {
      await session.logout();
      throw new MailError('CANCELLED', 'The account was closed.', { retryable: false });
    }
    session.onClose(({ byClient }) => {
      if (byClient || this.#isStopped) return;
      this.#wantFull = true; // what happened while disconnected is read back in full
      this.#signal();
    });
    this.#session = session;
    return session;
  }

  async #syncFolderList(session: ImapSession): Promise<void> {
    const remote = await listFolders(session);
    const { folders, changed, removedFiles } = applyFolderList(
      this.#deps.store,
      this.accountId,
      remote,
      (path) => this.#isPending(path),
    );
    this.#folders = folders;
    await this.#removeFiles(removedFiles);
    if (changed) this.#deps.events.emit('folders.changed', { accountId: this.accountId });
  }

  #folderContext(phase: string, folder: Folder): FolderSyncContext {
    return {
      store: this.#deps.store,
      isPending: (path) => this.#isPending(path),
      onChanged: (folderIds) => this.#announce(folderIds),
      onProgress: (done, total) =>
        this.#deps.events.emit('sync.progress', {
          accountId: this.accountId,
          phase: `${phase}:${folder.path}`,
          done,
          total,
        }),
      removeFiles: (paths) => this.#removeFiles(paths),
      now: this.#now,
    };
  }

  async #syncHeaders(session: ImapSession, folder: Folder): Promise<void> {
    const result = await syncFolderHeaders(this.#folderContext('headers', folder), session, folder);
    if (result.arrived > 0) {
      this.#deps.events.emit('mail.arrived', {
        accountId: this.accountId,
        folderId: folder.id,
        count: result.arrived,
      });
    }
  }

  async #syncBodies(session: ImapSession, folder: Folder): Promise<void> {
    const policy = this.#settings?.policy ?? { kind: 'all' };
    const ctx = this.#folderContext('bodies', folder);
    await downloadBodies(
      {
        store: ctx.store,
        onChanged: ctx.onChanged,
        onProgress: ctx.onProgress,
        now: this.#now,
        // New mail announced by IDLE is not kept waiting behind a long first download.
        between: async () => {
          if (this.#wantInbox && folder.role !== 'inbox') {
            this.#wantInbox = false;
            await this.#syncInbox(session);
          }
          if (this.#isStopped) throw new Error('stopped');
        },
      },
      session,
      folder,
      policy,
    );
  }

  async #syncInbox(session: ImapSession): Promise<void> {
    const inbox = this.#folders.find((f) => f.folder.role === 'inbox');
    if (!inbox) return;
    await this.#syncHeaders(session, inbox.folder);
    await this.#syncBodies(session, inbox.folder);
  }

  /** IDLE on the Inbox over a connection of its own; new mail there wakes the loop. */
  async #ensureWatch(): Promise<void> {
    if (this.#watch && this.#watchSession?.isUsable) return;
    const inbox = this.#folders.find((f) => f.folder.role === 'inbox' && f.isSelectable);
    if (!inbox || !this.#settings) return;
    await this.#stopWatch();
    const session = await ImapSession.connect(this.#settings.connect);
    if (this.#isStopped) {
      await session.logout();
      return;
    }
    session.onClose(({ byClient }) => {
      if (byClient || this.#isStopped) return;
      this.#watch = null;
      this.#wantFull = true;
      this.#signal();
    });
    this.#watchSession = session;
    this.#watch = await watchMailbox(session, inbox.folder.path, (event) => {
      if (event.type === 'exists' && event.count <= event.previousCount) return;
      this.#wantInbox = true;
      this.#signal();
    });
  }

  async #stopWatch(): Promise<void> {
    const watch = this.#watch;
    const session = this.#watchSession;
    this.#watch = null;
    this.#watchSession = null;
    if (watch && session?.isUsable) await watch.stop().catch(() => undefined);
    await session?.logout();
  }

  async #closeSessions(politely: boolean): Promise<void> {
    const session = this.#session;
    this.#session = null;
    const body = this.#bodySession;
    this.#bodySession = null;
    if (politely) {
      await Promise.all([
        this.#stopWatch(),
        session?.logout(),
        body?.then((s) => s.logout()).catch(() => undefined),
      ]);
    } else {
      session?.close();
      this.#watchSession?.close();
      this.#watch = null;
      this.#watchSession = null;
      void body?.then((s) => s.close()).catch(() => undefined);
    }
  }

  /** A connection of its own for opening messages, so a long sync never delays it. */
  #openBodySession(): Promise<ImapSession> {
    const current = this.#bodySession;
    const reuse = current?.then((s) => (s.isUsable ? s : null)).catch(() => null);
    const next = (async () => {
      const existing = reuse ? await reuse : null;
      if (existing) return existing;
      const settings = await loadAccountSettings(
        this.accountId,
        this.#deps.accounts,
        this.#deps.trustFor,
        this.#deps.logger,
        this.#deps.clientInfo,
      );
      return ImapSession.connect(settings.connect);
    })();
    this.#bodySession = next;
    next.catch(() => {
      if (this.#bodySession === next) this.#bodySession = null;
    });
    return next;
  }

  #isPending(path: string): boolean {
    const pending = this.#deps.pending;
    if (!pending) return false;
    if (pending.hasPendingFor) return pending.hasPendingFor(this.accountId, path);
    return pending.pendingCount(this.accountId) > 0;
  }

  #announce(folderIds: FolderId[]): void {
    announceFolderChanges(this.#deps.store, this.#deps.events, folderIds);
  }

  async #removeFiles(paths: readonly string[]): Promise<void> {
    for (const path of paths) await this.#deps.store.emlFiles.remove(path).catch(() => undefined);
  }

  #setStatus(state: EngineState, message: string | null): void {
    if (this.#state === state && this.#message === message) return;
    this.#state = state;
    this.#message = message;
    this.#context?.statusChanged();
  }
}

/** The status line: the error's user-facing sentence, with the server's words when it gave some. */
function describe(error: MailError): string {
  return error.message;
}
