/**
 * What the status bar says about the server accounts: each one's connection state (`sync.status`,
 * then `sync.state` events), the progress of running checks (`sync.progress`), and whether any is
 * offline. New mail (`mail.arrived`) raises a desktop notification when the user allowed them.
 */
import type { ApiClient } from '../api/client';
import type { EventPayload, SyncStateView } from '../api/contract-types';
import { mapFrom, withEntry, withoutKey } from '../list/id-collections';
import { combinedProgress, type SyncProgress } from '../list/sync-progress';
import type { DesktopNotifier } from './desktop-notifier';
import { errorText } from './error-text';

export class SyncStatusState {
  readonly #api: ApiClient;
  #states = $state.raw<ReadonlyMap<number, SyncStateView>>(mapFrom([]));
  #progress = $state.raw<ReadonlyMap<number, EventPayload<'sync.progress'>>>(mapFrom([]));
  #checkError = $state<string | null>(null);
  #isChecking = $state(false);
  #offline = $derived([...this.#states.values()].filter((state) => state.state === 'offline'));
  #combined = $derived(combinedProgress([...this.#progress.values()]));

  constructor(api: ApiClient, notifier: DesktopNotifier) {
    this.#api = api;
    api.on('sync.state', (state) => {
      this.#states = withEntry(this.#states, state.accountId, state);
      if (state.state !== 'syncing') this.#dropProgress(state.accountId);
    });
    api.on('sync.progress', (progress) => {
      if (progress.total > 0 && progress.done >= progress.total) this.#dropProgress(progress.accountId);
      else this.#progress = withEntry(this.#progress, progress.accountId, progress);
    });
    api.on('mail.arrived', (arrival) => notifier.mailArrived(arrival));
  }

  /** The accounts that cannot reach their server now. */
  get offline(): readonly SyncStateView[] {
    return this.#offline;
  }

  get isOffline(): boolean {
    return this.#offline.length > 0;
  }

  /** POP3 accounts whose "Get mail" waits for the server's LOGIN-DELAY (checkDeferredUntil). */
  get deferred(): readonly SyncStateView[] {
    return [...this.#states.values()].filter((state) => (state.checkDeferredUntil ?? null) !== null);
  }

  /** Accounts in error (wrong password, server refusing), in words. */
  get problems(): readonly SyncStateView[] {
    return [...this.#states.values()].filter((state) => state.state === 'error');
  }

  /** All running checks together, or null when none runs. */
  get progress(): SyncProgress | null {
    return this.#combined;
  }

  get isChecking(): boolean {
    return this.#isChecking || this.#progress.size > 0;
  }

  /** A "Get mail" call is on its way (the button waits for it; progress events may outlast it). */
  get isCheckRunning(): boolean {
    return this.#isChecking;
  }

  get checkError(): string | null {
    return this.#checkError;
  }

  async load(): Promise<void> {
    const states = await this.#api.call('sync.status', {});
    this.#states = mapFrom(states.map((state) => [state.accountId, state] as const));
  }

  /** "Get mail": checks every server account now; progress arrives as events. */
  async checkAll(): Promise<void> {
    this.#isChecking = true;
    this.#checkError = null;
    try {
      await this.#api.call('mail.check', {});
    } catch (error) {
      this.#checkError = errorText(error);
    } finally {
      this.#isChecking = false;
    }
  }

  dismissCheckError(): void {
    this.#checkError = null;
  }

  #dropProgress(accountId: number): void {
    this.#progress = withoutKey(this.#progress, accountId);
  }
}
