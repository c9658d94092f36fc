/**
 * The search box and its results (issue 8): the query, "This folder" or "All mail", newest first
 * or best match, and the results windowed like a folder's list (pages of PAGE_SIZE fetched for the
 * visible rows, far ones dropped). Typing searches after a short pause; a bad query comes back with
 * explanations (`problems`), never as an error. The matched words go to the reader for highlighting.
 */
import type { ApiClient } from '../api/client';
import type { ListRow, QueryProblemView, ResultOf, SearchScope } from '../api/contract-types';
import { EMPTY_RANGE, isPageNear, pagesCovering, type RowRange } from '../list/list-window';
import {
  onlyPagesNear,
  pagesFrom,
  patchRowById,
  rowAtIndex,
  withPage,
  type RowPages,
} from '../list/row-pages';
import { NO_SELECTION, selectSingle, type ListSelection } from '../list/selection';
import { errorText } from './error-text';
import type { ReaderState } from './reader.svelte';
import { SearchIndexState } from './search-index.svelte';

export const SEARCH_PAGE_SIZE = 100;
/** Pause after the last key before searching: one search per word typed, not per letter. */
export const TYPING_PAUSE_MS = 250;
const PREFETCH_ROWS = SEARCH_PAGE_SIZE / 2;
const KEEP_PAGES_AROUND = 2;

export type SearchScopeKind = 'folder' | 'all';
export type SearchOrder = 'date' | 'relevance';

const NO_PAGES: RowPages<ListRow> = pagesFrom([]);

export class SearchState {
  /** The index behind the box, and its rebuild (shown in Settings). */
  readonly index: SearchIndexState;
  readonly #api: ApiClient;
  readonly #reader: ReaderState;
  #text = $state('');
  /** The query the results are for (null: no search, the folder list shows). */
  #query = $state<string | null>(null);
  #scopeKind = $state<SearchScopeKind>('all');
  #order = $state<SearchOrder>('date');
  #folderId = $state<number | null>(null);
  #total = $state(0);
  #hasMore = $state(false);
  #pages = $state.raw<RowPages<ListRow>>(NO_PAGES);
  #isLoaded = $state(false);
  #error = $state<string | null>(null);
  #problems = $state.raw<QueryProblemView[]>([]);
  #highlightTerms = $state.raw<string[]>([]);
  #canSearchServer = $state(false);
  #serverMatches = $state(0);
  #isSearchingServer = $state(false);
  #serverFailures = $state.raw<string[]>([]);
  #serverFound = $state<number | null>(null);
  #selection = $state.raw<ListSelection>(NO_SELECTION);

  #range: RowRange = EMPTY_RANGE;
  /** Bumped for every new query, scope or order: replies for older ones are dropped. */
  #generation = 0;
  #pagesInFlight: readonly number[] = [];
  #typingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: ApiClient, reader: ReaderState) {
    this.#api = api;
    this.#reader = reader;
    this.index = new SearchIndexState(api);
    // New mail, moves, deletes, flags: the results are refetched like a folder's list.
    api.on('messages.changed', () => {
      if (this.#query !== null) void this.#refetchKept();
    });
    // Background indexing finished (new mail, a rebuild): what it indexed may match now.
    api.on('search.progress', ({ state }) => {
      if (state === 'done' && this.#query !== null) void this.#refetchKept();
    });
  }

  get text(): string {
    return this.#text;
  }
  get isActive(): boolean {
    return this.#query !== null;
  }
  get query(): string | null {
    return this.#query;
  }
  get scopeKind(): SearchScopeKind {
    return this.#scopeKind;
  }
  get order(): SearchOrder {
    return this.#order;
  }
  get total(): number {
    return this.#total;
  }
  get hasMore(): boolean {
    return this.#hasMore;
  }
  get isLoaded(): boolean {
    return this.#isLoaded;
  }
  get error(): string | null {
    return this.#error;
  }
  get problems(): readonly QueryProblemView[] {
    return this.#problems;
  }
  /** Words and phrases to highlight in the open message while a search is active. */
  get highlightTerms(): readonly string[] {
    return this.#query === null ? [] : this.#highlightTerms;
  }
  get canSearchServer(): boolean {
    return this.#canSearchServer;
  }
  get isSearchingServer(): boolean {
    return this.#isSearchingServer;
  }
  get serverFailures(): readonly string[] {
    return this.#serverFailures;
  }
  /** How many messages the last server search found (null: none ran for this query). */
  get serverFound(): number | null {
    return this.#serverFound;
  }
  get serverMatches(): number {
    return this.#serverMatches;
  }
  get selection(): ListSelection {
    return this.#selection;
  }
  get selectedIndex(): number {
    return this.#selection.focus;
  }

  rowAt(index: number): ListRow | undefined {
    return rowAtIndex(this.#pages, index, SEARCH_PAGE_SIZE);
  }

  /** The box's text changed: search after a pause (an empty box ends the search). */
  type(text: string): void {
    this.#text = text;
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => {
      this.#typingTimer = null;
      this.submit();
    }, TYPING_PAUSE_MS);
  }

  /** Searches for the box's text now (Enter). */
  submit(): void {
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = null;
    const query = this.#text.trim();
    if (query === '') {
      this.clear();
      return;
    }
    if (query === this.#query) return;
    this.#query = query;
    this.#serverFound = null;
    this.#serverFailures = [];
    this.#restart();
  }

  /** Ends the search: the folder's list shows again. */
  clear(): void {
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = null;
    this.#text = '';
    this.#query = null;
    this.#generation += 1;
    this.#pages = NO_PAGES;
    this.#total = 0;
    this.#hasMore = false;
    this.#problems = [];
    this.#highlightTerms = [];
    this.#serverFound = null;
    this.#serverFailures = [];
    this.#selection = NO_SELECTION;
  }

  setScope(kind: SearchScopeKind): void {
    if (kind === this.#scopeKind) return;
    this.#scopeKind = kind;
    this.#serverFound = null;
    if (this.#query !== null) this.#restart();
  }

  setOrder(order: SearchOrder): void {
    if (order === this.#order) return;
    this.#order = order;
    if (this.#query !== null) this.#restart();
  }

  /** The folder "This folder" means; a search in that scope follows the folder shown. */
  setFolder(folderId: number | null): void {
    if (folderId === this.#folderId) return;
    this.#folderId = folderId;
    if (this.#query !== null && this.#scopeKind === 'folder') this.#restart();
  }

  setVisibleRange(range: RowRange): void {
    this.#range = range;
    this.#pages = onlyPagesNear(this.#pages, range, SEARCH_PAGE_SIZE, KEEP_PAGES_AROUND);
    const wanted = pagesCovering(range, SEARCH_PAGE_SIZE, this.#total, PREFETCH_ROWS);
    // Counted results end before the real ones do: near the end, ask for the page after them.
    if (this.#hasMore && range.end + PREFETCH_ROWS >= this.#total) {
      wanted.push(Math.floor(this.#total / SEARCH_PAGE_SIZE));
    }
    for (const page of wanted) {
      if (!this.#pages.has(page) && !this.#pagesInFlight.includes(page)) void this.#fetchPage(page);
    }
  }

  select(index: number): void {
    this.#selection = selectSingle(index, this.rowAt(index)?.id);
  }

  /** Opens a result in the reader (which marks it read). */
  async open(index: number): Promise<void> {
    this.select(index);
    const id = this.rowAt(index)?.id;
    if (id === undefined) return;
    const message = await this.#reader.open(id);
    if (message && !message.isSeen) this.#pages = patchRowById<ListRow>(this.#pages, id, { isSeen: true });
  }

  /** "Search on server": IMAP SEARCH on the servers in scope, then the merged results. */
  async searchServer(): Promise<void> {
    const query = this.#query;
    if (query === null || this.#isSearchingServer) return;
    this.#isSearchingServer = true;
    this.#serverFailures = [];
    try {
      const outcome = await this.#api.call('search.server', { query, scope: this.#scope() });
      if (query !== this.#query) return;
      // "Found 0" beside "could not search" would read as an answer when no server gave one.
      const hasAnswer = outcome.searchedFolders > 0 || outcome.failures.length === 0;
      this.#serverFound = hasAnswer ? outcome.found : null;
      this.#serverFailures = outcome.failures;
      await this.#refetchKept();
    } catch (error) {
      if (query === this.#query) this.#serverFailures = [errorText(error)];
    } finally {
      this.#isSearchingServer = false;
    }
  }

  #scope(): SearchScope {
    return this.#scopeKind === 'folder' && this.#folderId !== null
      ? { kind: 'folder', folderId: this.#folderId }
      : { kind: 'all' };
  }

  #restart(): void {
    this.#generation += 1;
    this.#pagesInFlight = [];
    this.#pages = NO_PAGES;
    this.#total = 0;
    this.#hasMore = false;
    this.#isLoaded = false;
    this.#error = null;
    this.#selection = NO_SELECTION;
    this.#range = EMPTY_RANGE;
    void this.#fetchPage(0);
  }

  async #refetchKept(): Promise<void> {
    const generation = ++this.#generation;
    this.#pagesInFlight = [];
    const pages = this.#pages.size > 0 ? [...this.#pages.keys()] : [0];
    try {
      const results = await Promise.all(pages.map((page) => this.#request(page)));
      if (generation !== this.#generation) return;
      const last = results.at(-1);
      if (last) this.#take(last);
      this.#pages = pagesFrom(pages.map((page, i) => [page, results[i]?.rows ?? []] as const));
      const focusedId = [...this.#selection.ids][0];
      if (focusedId !== undefined && !results.some((r) => r.rows.some((row) => row.id === focusedId))) {
        this.#selection = NO_SELECTION;
      }
    } catch (error) {
      if (generation === this.#generation) this.#error = errorText(error);
    }
  }

  async #fetchPage(page: number): Promise<void> {
    const generation = this.#generation;
    this.#pagesInFlight = [...this.#pagesInFlight, page];
    try {
      const result = await this.#request(page);
      if (generation !== this.#generation) return;
      this.#take(result);
      if (isPageNear(page, this.#range, SEARCH_PAGE_SIZE, KEEP_PAGES_AROUND) || this.#pages.size === 0) {
        this.#pages = withPage(this.#pages, page, result.rows);
      }
    } catch (error) {
      if (generation === this.#generation) this.#error = errorText(error);
    } finally {
      if (generation === this.#generation)
        this.#pagesInFlight = this.#pagesInFlight.filter((p) => p !== page);
    }
  }

  #take(result: ResultOf<'search.run'>): void {
    this.#total = result.total;
    this.#hasMore = result.hasMore;
    this.#problems = result.problems;
    this.#highlightTerms = result.highlightTerms;
    this.#canSearchServer = result.canSearchServer;
    this.#serverMatches = result.serverMatches;
    this.#isLoaded = true;
    this.#error = null;
  }

  #request(page: number): Promise<ResultOf<'search.run'>> {
    return this.#api.call('search.run', {
      query: this.#query ?? '',
      scope: this.#scope(),
      order: this.#order,
      offset: page * SEARCH_PAGE_SIZE,
      limit: SEARCH_PAGE_SIZE,
    });
  }
}
