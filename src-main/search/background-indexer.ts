/**
 * Indexes what ingest did not index inline (the search_pending list of 007-search.sql): IMAP
 * headers, bodies downloaded later, copies, and everything after a full rebuild. Work is done in
 * small batches (files read asynchronously, one short transaction per batch) with a turn of the
 * event loop in between, so API calls and sync keep running while a large mailbox is indexed.
 */
import { MailError } from '../domain/errors';
import type { FolderId, MessageId } from '../domain/ids';
import { HEADERS_ONLY_EML_PATH } from '../store/eml-files';
import type { SqliteMailStore } from '../store/mail-store';
import type { StoredMessage } from '../store/message-rows';
import type { SearchDocument } from '../store/search';
import { makeSnippet } from '../mime/snippet';
import { parseForIngest, toSearchDocument } from '../sync/message-ingest';

/** Messages per transaction: a batch is a few milliseconds of database time. */
export const INDEX_BATCH_SIZE = 100;
/** Batches per pass (100 million messages): a bound, not a limit anyone meets. */
const MAX_BATCHES_PER_DRAIN = 1_000_000;

export interface IndexProgress {
  done: number;
  total: number;
  state: 'running' | 'done' | 'failed';
}

export type IndexStore = Pick<
  SqliteMailStore,
  'messages' | 'search' | 'emlFiles' | 'transaction' | 'imapSync'
>;

/** What is searchable of a message whose body is not here (headers only, or a missing file). */
export function headerDocument(message: StoredMessage): SearchDocument {
  return {
    subject: message.subject,
    from: message.from ? [message.from] : [],
    to: message.to,
    cc: message.cc,
    body: '',
    attachmentNames: [],
  };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * While a sync runs, the indexer waits between batches (looking again this often): both work on
 * the one main thread, and a parse of a body here is time the sync's download does not get.
 * Waiting also indexes each synced message once, with its body, instead of its headers first.
 */
export const SYNC_YIELD_POLL_MS = 250;
/** ...but never longer than this in a row: a sync that never ends must not starve search. */
export const MAX_SYNC_YIELD_MS = 60_000;

export interface IndexerOptions {
  /** True while an account engine is syncing; the indexer then waits (see SYNC_YIELD_POLL_MS). */
  isSyncing?: () => boolean;
  syncYieldPollMs?: number;
  maxSyncYieldMs?: number;
}

export class BackgroundIndexer {
  readonly #store: IndexStore;
  readonly #onProgress: (progress: IndexProgress) => void;
  readonly #onSnippets: (folderIds: FolderId[]) => void;
  #running: Promise<void> | null = null;
  readonly #options: Required<IndexerOptions>;
  #isWanted = false;
  #isStopped = false;
  #wakeFromYield: (() => void) | null = null;

  constructor(
    store: IndexStore,
    onProgress: (progress: IndexProgress) => void = () => undefined,
    /** Snippets filled from a parse here (IMAP bodies, POP3 mail): those folders' lists show them. */
    onSnippets: (folderIds: FolderId[]) => void = () => undefined,
    options: IndexerOptions = {},
  ) {
    this.#store = store;
    this.#onProgress = onProgress;
    this.#onSnippets = onSnippets;
    this.#options = {
      isSyncing: options.isSyncing ?? (() => false),
      syncYieldPollMs: options.syncYieldPollMs ?? SYNC_YIELD_POLL_MS,
      maxSyncYieldMs: options.maxSyncYieldMs ?? MAX_SYNC_YIELD_MS,
    };
  }

  /** Asks for a pass soon; passes never overlap, and a request during a pass runs one more. */
  schedule(): Promise<void> {
    this.#isWanted = true;
    this.#running ??= this.#loop().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Empties the index and indexes every message again, in the background. */
  rebuild(): Promise<void> {
    const total = this.#store.transaction(() => this.#store.search.resetAll());
    this.#onProgress({ done: 0, total, state: 'running' });
    return this.schedule();
  }

  /** Resolves when no pass runs; later schedule() calls do nothing. */
  async stop(): Promise<void> {
    this.#isStopped = true;
    this.#wakeFromYield?.();
    await this.#running;
  }

  /** Waits while a sync runs, up to maxSyncYieldMs; returns at once when none does. */
  async #yieldToSync(): Promise<void> {
    const { isSyncing, syncYieldPollMs, maxSyncYieldMs } = this.#options;
    const deadline = Date.now() + maxSyncYieldMs;
    while (!this.#isStopped && isSyncing() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#wakeFromYield = null;
          resolve();
        }, syncYieldPollMs);
        this.#wakeFromYield = () => {
          clearTimeout(timer);
          this.#wakeFromYield = null;
          resolve();
        };
      });
    }
  }

  async #loop(): Promise<void> {
    while (this.#isWanted && !this.#isStopped) {
      this.#isWanted = false;
      await this.#drain();
    }
  }

  async #drain(): Promise<void> {
    const total = this.#store.search.pendingCount();
    if (total === 0) return;
    let done = 0;
    try {
      let previous = '';
      for (let batch = 0; batch < MAX_BATCHES_PER_DRAIN && !this.#isStopped; batch++) {
        await this.#yieldToSync();
        if (this.#isStopped) break;
        const ids = this.#store.search.pending(INDEX_BATCH_SIZE);
        if (ids.length === 0) break;
        // The same batch again means its messages keep changing under us: leave them to the next pass.
        const key = ids.join(',');
        if (key === previous) break;
        previous = key;
        done += await this.#indexBatch(ids);
        this.#onProgress({ done, total: Math.max(total, done), state: 'running' });
        await yieldToEventLoop();
      }
      this.#onProgress({ done, total: Math.max(total, done), state: 'done' });
    } catch (error) {
      this.#onProgress({ done, total, state: 'failed' });
      throw error;
    }
  }

  /** Reads the batch's files, then writes their text in one transaction; returns how many it indexed. */
  async #indexBatch(ids: readonly MessageId[]): Promise<number> {
    const prepared = await Promise.all(ids.map((id) => this.#prepare(id)));
    const snippetFolders = new Set<FolderId>();
    const count = this.#store.transaction(() => {
      let indexed = 0;
      for (const [index, id] of ids.entries()) {
        const entry = prepared[index];
        const current = this.#store.messages.get(id);
        if (!current || !entry) {
          this.#store.search.clear(id);
          continue;
        }
        // The message got new content while its old file was read: leave it for the next batch.
        if (current.emlPath !== entry.emlPath) continue;
        this.#store.search.reindex(id, entry.document);
        // IMAP bodies and POP3 mail are stored unparsed (imap-sync/body-sync.ts,
        // pop3-fetch/list-fields.ts): this parse gives the snippet (and IMAP rows their exact
        // paperclip, guessed from the header fields until now).
        if (entry.body && current.snippet === '') {
          const folderId = this.#store.imapSync.fillFromBody(id, entry.emlPath, entry.body);
          if (folderId !== null) snippetFolders.add(folderId);
        }
        indexed += 1;
      }
      return indexed;
    });
    if (snippetFolders.size > 0) this.#onSnippets([...snippetFolders]);
    return count;
  }

  async #prepare(id: MessageId): Promise<{
    emlPath: string;
    document: SearchDocument;
    body?: { snippet: string; parseState: 'ok' | 'damaged'; hasAttachments: boolean };
  } | null> {
    const message = this.#store.messages.get(id);
    if (!message) return null;
    if (message.emlPath === HEADERS_ONLY_EML_PATH) {
      return { emlPath: message.emlPath, document: headerDocument(message) };
    }
    try {
      const raw = await this.#store.emlFiles.read(message.emlPath);
      const parsed = parseForIngest(raw);
      const document = toSearchDocument(parsed);
      // Only a row stored unparsed (an IMAP body, POP3 mail) still lacks its snippet.
      if (message.snippet !== '') return { emlPath: message.emlPath, document };
      const parseState = parsed.isDamaged ? 'damaged' : 'ok';
      const body = {
        snippet: makeSnippet(parsed.text),
        parseState,
        hasAttachments: parsed.hasAttachments,
      } as const;
      return { emlPath: message.emlPath, document, body };
    } catch (error) {
      // A missing or unreadable file still leaves the headers the list shows searchable.
      if (error instanceof MailError) return { emlPath: message.emlPath, document: headerDocument(message) };
      throw error;
    }
  }
}
