/**
 * Search as one object for the app: local search, the background indexer and server search. The
 * indexer runs when mail changes (the app forwards change events to `notifyChanged`) and, as a
 * safety net for paths that announce nothing, when a periodic check finds messages waiting.
 */
import type { FolderId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import { BackgroundIndexer, type IndexProgress } from './background-indexer';
import { LocalSearch } from './search-service';
import { ServerSearch, type ImapOpener } from './server-search';

/** How often the pending list is checked when no change event came. */
export const PENDING_CHECK_MS = 5_000;

export interface SearchSystemOptions {
  store: SqliteMailStore;
  onProgress: (progress: IndexProgress) => void;
  /** Folders whose rows got their snippet from the indexer's parse (IMAP bodies). */
  onSnippets?: (folderIds: FolderId[]) => void;
  /** Null where no IMAP account can be reached (tests); server search then reports that. */
  openImap: ImapOpener | null;
  pendingCheckMs?: number;
  /** True while an account engine syncs: the indexer waits for it (background-indexer.ts). */
  isSyncing?: () => boolean;
}

export class SearchSystem {
  readonly local: LocalSearch;
  readonly indexer: BackgroundIndexer;
  readonly server: ServerSearch | null;
  readonly #store: SqliteMailStore;
  readonly #pendingCheckMs: number;
  #timer: NodeJS.Timeout | null = null;
  #onError: (error: unknown) => void = () => undefined;

  constructor(options: SearchSystemOptions) {
    this.#store = options.store;
    this.local = new LocalSearch(options.store);
    this.indexer = new BackgroundIndexer(options.store, options.onProgress, options.onSnippets, {
      isSyncing: options.isSyncing,
    });
    this.server = options.openImap ? new ServerSearch(options.store, this.local, options.openImap) : null;
    this.#pendingCheckMs = options.pendingCheckMs ?? PENDING_CHECK_MS;
  }

  /** Indexes what is waiting, then keeps checking; `onError` hears of failed passes (logging). */
  start(onError: (error: unknown) => void = () => undefined): void {
    this.#onError = onError;
    this.notifyChanged();
    this.#timer = setInterval(() => {
      if (this.#store.search.pendingCount() > 0) this.notifyChanged();
    }, this.#pendingCheckMs);
    // A periodic check must not keep a finished process (tests, browser mode shutdown) alive.
    this.#timer.unref();
  }

  notifyChanged(): void {
    this.indexer.schedule().catch((error: unknown) => this.#onError(error));
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.indexer.stop().catch(() => undefined);
  }
}
