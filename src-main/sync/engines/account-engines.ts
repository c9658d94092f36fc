/**
 * The registry of background engines: one per server account in the store (IMAP sync, POP3
 * download), built by the factory of the account's kind. It follows account changes (restarts an
 * engine with new settings, starts new accounts, stops removed ones), answers "Get mail",
 * `sync.status` and "download this body", and tells the UI when an engine's status changed.
 */
import { MailError } from '../../domain/errors';
import type { AccountKind } from '../../domain/account';
import type { AccountId, MessageId } from '../../domain/ids';
import type { Logger } from '../../domain/logger';
import type { SqliteMailStore } from '../../store/mail-store';
import type { AccountEngine, EngineFactory, EngineStatus } from './account-engine';
import type { SyncEventSink } from './sync-events';

export type ServerAccountKind = Exclude<AccountKind, 'local'>;

export interface AccountEnginesOptions {
  store: Pick<SqliteMailStore, 'accounts' | 'messages'>;
  events: SyncEventSink;
  logger?: Logger;
  factories: Partial<Record<ServerAccountKind, EngineFactory>>;
}

interface Running {
  kind: ServerAccountKind;
  engine: AccountEngine;
}

const sameStatus = (a: EngineStatus | undefined, b: EngineStatus): boolean =>
  a !== undefined &&
  a.state === b.state &&
  a.message === b.message &&
  a.pendingActions === b.pendingActions &&
  (a.checkDeferredUntil ?? null) === (b.checkDeferredUntil ?? null);

export class AccountEngines {
  readonly #options: AccountEnginesOptions;
  readonly #running = new Map<AccountId, Running>();
  readonly #published = new Map<AccountId, EngineStatus>();
  /** Per account, the tail of its start/stop work, so a restart never overlaps a stop. */
  readonly #changes = new Map<AccountId, Promise<void>>();
  #isStopped = false;

  constructor(options: AccountEnginesOptions) {
    this.#options = options;
  }

  /** Starts one engine per IMAP/POP3 account that has a factory. */
  startAll(): void {
    this.#isStopped = false;
    for (const account of this.#options.store.accounts.list()) {
      if (account.kind !== 'local' && !this.#running.has(account.id)) this.#start(account.id, account.kind);
    }
  }

  /**
   * An account was created, changed or removed: its engine is stopped and, if the account still
   * exists, started again with the settings now saved.
   */
  accountChanged(accountId: AccountId): Promise<void> {
    const previous = this.#changes.get(accountId) ?? Promise.resolve();
    const next = previous.then(async () => {
      await this.#stop(accountId);
      if (this.#isStopped) return;
      const account = this.#options.store.accounts.get(accountId);
      if (account && account.kind !== 'local') this.#start(account.id, account.kind);
    });
    const settled = next.catch((error: unknown) => {
      this.#options.logger?.error('account engine restart failed', { accountId, error: String(error) });
    });
    this.#changes.set(accountId, settled);
    return settled;
  }

  /** "Get mail": one account, or every server account; resolves when the checks ended. */
  async checkNow(accountId?: AccountId): Promise<void> {
    if (accountId !== undefined) {
      const running = this.#running.get(accountId);
      if (!running) {
        const account = this.#options.store.accounts.get(accountId);
        if (!account)
          throw new MailError('NOT_FOUND', 'That account no longer exists.', { retryable: false });
        return; // Local Folders, or a kind without an engine: nothing to check
      }
      await running.engine.checkNow();
      this.#publish(accountId);
      return;
    }
    await Promise.all(
      [...this.#running.entries()].map(async ([id, { engine }]) => {
        await engine.checkNow();
        this.#publish(id);
      }),
    );
  }

  statuses(): EngineStatus[] {
    return [...this.#running.values()].map(({ engine }) => engine.status());
  }

  /**
   * Makes sure the whole message is here before it is opened (a headers-only IMAP message, a POP3
   * message over the size limit); resolves at once for local mail and whole messages.
   */
  async ensureBody(messageId: MessageId): Promise<void> {
    const stored = this.#options.store.messages.get(messageId);
    if (!stored) return; // the caller reports the missing message itself
    const running = this.#running.get(stored.accountId);
    if (!running) return;
    await running.engine.ensureBody(messageId);
  }

  /** Stops every engine and waits until nothing runs. */
  async stopAll(): Promise<void> {
    this.#isStopped = true;
    await Promise.all([...this.#changes.values()]);
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(id)));
  }

  #start(accountId: AccountId, kind: ServerAccountKind): void {
    const factory = this.#options.factories[kind];
    if (!factory) return;
    try {
      const engine = factory(accountId, { statusChanged: () => this.#publish(accountId) });
      this.#running.set(accountId, { kind, engine });
      engine.start();
      this.#publish(accountId);
    } catch (error) {
      this.#options.logger?.error('account engine could not start', { accountId, error: String(error) });
    }
  }

  async #stop(accountId: AccountId): Promise<void> {
    const running = this.#running.get(accountId);
    if (!running) return;
    this.#running.delete(accountId);
    this.#published.delete(accountId);
    try {
      await running.engine.stop();
    } catch (error) {
      this.#options.logger?.warn('account engine did not stop cleanly', { accountId, error: String(error) });
    }
  }

  #publish(accountId: AccountId): void {
    const running = this.#running.get(accountId);
    if (!running) return;
    const status = running.engine.status();
    if (sameStatus(this.#published.get(accountId), status)) return;
    this.#published.set(accountId, status);
    this.#options.events.emit('sync.state', { ...status });
  }
}
