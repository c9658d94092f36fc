/**
 * The POP3 account engine (sync/engines/account-engine.ts): a CheckScheduler running the account's
 * "check every N minutes" over a Pop3Fetcher, "Get mail" (checkNow), the full download of a
 * message kept as headers only (ensureBody), and a status for the status bar: 'syncing' while a
 * check runs, then 'idle', or 'offline' / 'error' with the user-facing words of what failed
 * (wrong password, server busy, no network). Settings are read again for every check, so a new
 * password or option applies at the next one.
 */
import { MailError } from '../../domain/errors';
import type { AccountId, FolderId, MessageId } from '../../domain/ids';
import type { Logger } from '../../domain/logger';
import { isLoginDelayRefusal, type Pop3Timeouts } from '../../protocols/pop3';
import type {
  AccountEngine,
  EngineContext,
  EngineFactory,
  EngineState,
  EngineStatus,
} from '../engines/account-engine';
import { announceFolderChanges, type SyncEventSink } from '../engines/sync-events';
import { CheckScheduler, type SchedulerTimers } from './check-scheduler';
import {
  DEFAULT_CHECK_EVERY_MINUTES,
  MS_PER_MINUTE,
  intervalMsOf,
  loadPop3Settings,
  type Pop3SettingsSource,
} from './engine-settings';
import { Pop3Fetcher, type Pop3FetchStore } from './pop3-fetcher';

export interface Pop3EngineDeps {
  store: Pop3FetchStore;
  settings: Pop3SettingsSource;
  /**
   * Where progress (`sync.progress`), new mail (`mail.arrived`) and list changes (`counts.changed`,
   * `messages.changed`) go: the API's EventBus.
   */
  events?: SyncEventSink;
  /** Check once when the engine starts, as a mail app does at launch (default true). */
  checkOnStart?: boolean;
  logger?: Logger;
  timers?: SchedulerTimers;
  now?: () => number;
  timeouts?: Pop3Timeouts;
}

/** Failures that mean "no way to reach the server now" rather than "the server said no". */
const OFFLINE_CODES: ReadonlySet<string> = new Set([
  'CONNECT_FAILED',
  'DNS_FAILED',
  'TIMEOUT',
  'CONNECTION_LOST',
]);
const UNEXPECTED_FAILURE = 'Checking for mail failed unexpectedly. It will be tried again.';

export function stateOfFailure(error: unknown): { state: EngineState; message: string } {
  if (!(error instanceof MailError)) return { state: 'error', message: UNEXPECTED_FAILURE };
  return { state: OFFLINE_CODES.has(error.code) ? 'offline' : 'error', message: error.message };
}

export class Pop3Engine implements AccountEngine {
  private readonly fetcher: Pop3Fetcher;
  private scheduler: CheckScheduler | null = null;
  private state: EngineState = 'idle';
  private message: string | null = null;
  /** When a "Get mail" deferred by LOGIN-DELAY runs by itself; null when none is waiting. */
  private checkDeferredUntil: number | null = null;
  /** The last check failed because the server refused a login so soon ([LOGIN-DELAY]). */
  private wasRefusedForLoginDelay = false;
  private isStarted = false;
  /** Set by stop(): the failure of a cancelled session is not news for the status bar. */
  private isStopping = false;
  /** Checks and downloads under way, so stop() can wait for them. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    readonly accountId: AccountId,
    private readonly deps: Pop3EngineDeps,
    private readonly context: EngineContext = { statusChanged: () => undefined },
  ) {
    const { events, store } = deps;
    this.fetcher = new Pop3Fetcher({
      store,
      onProgress: (progress) => events?.emit('sync.progress', progress),
      onNewMail: (folderId, count) => events?.emit('mail.arrived', { accountId, folderId, count }),
      onFolderChanged: (folderIds) => this.foldersChanged(folderIds),
      onLoggedIn: (_accountId, loginDelaySeconds) => {
        this.scheduler?.noteLogin();
        this.scheduler?.setLoginDelay(loginDelaySeconds);
      },
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
    });
  }

  start(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    this.isStopping = false;
    const scheduler = this.ensureScheduler();
    scheduler.start();
    if (this.deps.checkOnStart ?? true) void scheduler.runNow();
  }

  async stop(): Promise<void> {
    this.isStarted = false;
    this.isStopping = true;
    const scheduler = this.scheduler;
    this.scheduler = null;
    scheduler?.stop();
    // Sessions are cut without QUIT: safe at any moment (check-session.ts), what was committed
    // stays. The store must not be closed before the work under way has let go of it.
    this.fetcher.cancel(this.accountId);
    await Promise.allSettled([...this.running]);
  }

  /**
   * "Get mail". Too soon for the server's LOGIN-DELAY, nothing is sent and the status says until
   * when the check waits (checkDeferredUntil), so the user learns why no mail came.
   */
  async checkNow(): Promise<void> {
    const scheduler = this.ensureScheduler();
    const outcome = await scheduler.runNow();
    if (outcome === 'deferred') {
      this.deps.logger?.info('pop3: check deferred by the server LOGIN-DELAY');
      this.setDeferredUntil((this.deps.now ?? Date.now)() + scheduler.loginWaitMs);
    } else if (outcome === 'failed' && this.wasRefusedForLoginDelay && scheduler.nextCheckAt !== null) {
      // The server said so itself (RFC 2449 §8.1.2) without stating a delay: the retry is the timer's.
      this.setDeferredUntil(scheduler.nextCheckAt);
    }
  }

  status(): EngineStatus {
    return {
      accountId: this.accountId,
      state: this.state,
      message: this.message,
      pendingActions: 0,
      checkDeferredUntil: this.checkDeferredUntil,
    };
  }

  async ensureBody(messageId: MessageId): Promise<void> {
    if (!this.fetcher.isHeadersOnly(messageId)) return;
    await this.track(async () => {
      const { settings } = await loadPop3Settings(this.deps.settings, this.accountId);
      const updated = await this.fetcher.downloadFull(settings, messageId);
      this.foldersChanged([updated.folderId]);
    });
  }

  /** The scheduler, made on first use with the account's interval (read once per engine). */
  private ensureScheduler(): CheckScheduler {
    if (this.scheduler) return this.scheduler;
    let intervalMs = DEFAULT_CHECK_EVERY_MINUTES * MS_PER_MINUTE;
    try {
      intervalMs = intervalMsOf(this.deps.settings.config(this.accountId));
    } catch {
      // Unreadable settings: the check itself will fail and say why in the status.
    }
    this.scheduler = new CheckScheduler({
      intervalMs,
      check: () => this.track(() => this.check()),
      onError: (error) => this.failed(error),
      ...(this.deps.timers ? { timers: this.deps.timers } : {}),
      ...(this.deps.now ? { now: this.deps.now } : {}),
    });
    return this.scheduler;
  }

  private async check(): Promise<void> {
    this.wasRefusedForLoginDelay = false;
    const wasDeferred = this.checkDeferredUntil !== null;
    this.checkDeferredUntil = null; // the deferred check is this one, or overtaken by it
    if (wasDeferred && this.state === 'syncing' && this.message === null) this.context.statusChanged();
    this.setStatus('syncing', null);
    const { settings } = await loadPop3Settings(this.deps.settings, this.accountId);
    const result = await this.fetcher.checkMail(settings);
    if (result.problems.length > 0)
      this.deps.logger?.warn('pop3: check finished with problems', result.problems.join('; '));
    this.setStatus('idle', null);
  }

  private failed(error: unknown): void {
    this.wasRefusedForLoginDelay = isLoginDelayRefusal(error);
    if (this.isStopping) return;
    const { state, message } = stateOfFailure(error);
    const detail =
      error instanceof MailError ? `${error.code}: ${error.detail ?? error.message}` : String(error);
    this.deps.logger?.warn(`pop3: check of account ${this.accountId} failed`, detail);
    this.setStatus(state, message);
  }

  /** Remembers work in progress so stop() can wait for it. */
  private async track<T>(work: () => Promise<T>): Promise<T> {
    const run = work();
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  private foldersChanged(folderIds: FolderId[]): void {
    if (this.deps.events) announceFolderChanges(this.deps.store, this.deps.events, folderIds);
  }

  private setDeferredUntil(at: number): void {
    if (this.checkDeferredUntil === at) return;
    this.checkDeferredUntil = at;
    this.context.statusChanged();
  }

  private setStatus(state: EngineState, message: string | null): void {
    if (state === this.state && message === this.message) return;
    this.state = state;
    this.message = message;
    this.context.statusChanged();
  }
}

/** The factory the AccountEngines registry calls for each POP3 account. */
export function createPop3Engine(deps: Pop3EngineDeps): EngineFactory {
  return (accountId, context) => new Pop3Engine(accountId, deps, context);
}
