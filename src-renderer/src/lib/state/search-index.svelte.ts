/**
 * The full-text index as Settings shows it (issue 8): how many messages wait to be indexed, a full
 * rebuild on request, and its progress from the `search.progress` events the background indexer
 * sends (it also sends them for new mail, so progress shows whoever started the pass).
 */
import type { ApiClient } from '../api/client';
import { errorText } from './error-text';

export type IndexPhase = 'idle' | 'running' | 'done' | 'failed';

export class SearchIndexState {
  readonly #api: ApiClient;
  #phase = $state<IndexPhase>('idle');
  #done = $state(0);
  #total = $state(0);
  #pending = $state<number | null>(null);
  /** The user asked for a rebuild here: its end is announced as "rebuilt". */
  #isRebuild = $state(false);
  #isStarting = $state(false);
  #error = $state<string | null>(null);
  /** A progress event came while a rebuild call was on its way (then it, not the reply, is current). */
  #sawProgress = false;

  constructor(api: ApiClient) {
    this.#api = api;
    api.on('search.progress', ({ done, total, state }) => {
      // A rebuild announces itself with 0 done (BackgroundIndexer.rebuild); a pass for new mail
      // reports first after its first batch, so its end is not called a rebuild.
      if (state === 'running' && done === 0) this.#isRebuild = true;
      else if (state === 'running' && this.#phase !== 'running') this.#isRebuild = false;
      this.#done = done;
      this.#total = total;
      this.#phase = state;
      this.#sawProgress = true;
      if (state !== 'running') void this.load();
    });
  }

  get phase(): IndexPhase {
    return this.#phase;
  }
  get done(): number {
    return this.#done;
  }
  get total(): number {
    return this.#total;
  }
  /** Messages waiting to be indexed (null until known). */
  get pending(): number | null {
    return this.#pending;
  }
  get isRebuild(): boolean {
    return this.#isRebuild;
  }
  /** A rebuild was asked for or indexing is under way: asking again would only restart it. */
  get isBusy(): boolean {
    return this.#isStarting || this.#phase === 'running';
  }
  get error(): string | null {
    return this.#error;
  }

  /** Reads how many messages wait (Settings opened, a pass ended). */
  async load(): Promise<void> {
    try {
      const { pending } = await this.#api.call('search.status', {});
      this.#pending = pending;
      this.#error = null;
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  /** Empties the index and indexes every message again, in the background. */
  async rebuild(): Promise<void> {
    if (this.isBusy) return;
    this.#isStarting = true;
    this.#error = null;
    this.#sawProgress = false;
    try {
      const { queued } = await this.#api.call('search.rebuild', {});
      this.#isRebuild = true;
      // The indexer's events may have come before the reply (a small mailbox): they are newer.
      if (!this.#sawProgress) {
        this.#pending = queued;
        this.#phase = queued === 0 ? 'done' : 'running';
        this.#done = 0;
        this.#total = queued;
      }
    } catch (error) {
      this.#error = errorText(error);
    } finally {
      this.#isStarting = false;
    }
  }
}
