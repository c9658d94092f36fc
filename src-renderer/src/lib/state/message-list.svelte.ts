/**
 * The message list of one source (a folder, or All Inboxes), windowed: rows arrive in pages of
 * PAGE_SIZE and only the pages near the visible rows are kept, so a 100,000-message folder costs a
 * few hundred rows of memory. The view reports its visible range; this class fetches what is
 * missing and drops what scrolled far away. A `messages.changed` event refetches the kept pages.
 * A plain folder pages through `messages.page`; All Inboxes and the conversation view (one row per
 * thread) through `messages.listPage`.
 */
import type { ApiClient } from '../api/client';
import type { ListRow, SortSpec } from '../api/contract-types';
import { NO_IDS } from '../list/id-collections';
import { ALL_INBOXES, isSameSource, isSourceChanged, scopeOf, type ListSource } from '../list/list-source';
import { EMPTY_RANGE, isPageNear, pagesCovering, type RowRange } from '../list/list-window';
import {
  indexOfRowId,
  onlyPagesNear,
  pagesFrom,
  patchRowById,
  rowAtIndex,
  withPage,
  type RowPages,
} from '../list/row-pages';
import {
  afterListChange,
  extendTo,
  extensionRange,
  NO_SELECTION,
  selectSingle,
  toggleAt,
  withId,
  type ListSelection,
  type SelectMode,
} from '../list/selection';
import { errorText } from './error-text';

export const PAGE_SIZE = 100;
/** Rows beyond the visible ones fetched ahead, so scrolling rarely meets a row still loading. */
const PREFETCH_ROWS = PAGE_SIZE / 2;
/** Pages kept on either side of the visible ones before they are dropped. */
const KEEP_PAGES_AROUND = 2;
/** A shift-selection may cover at most this many rows (the API's limit per action). */
export const MAX_SELECTION = 10_000;
const RANGE_FETCH_ROWS = 500;
/** Page requests on their way at once (see #fetchMissingPages). */
const MAX_PAGES_IN_FLIGHT = 3;

export const DEFAULT_SORT: SortSpec = { by: 'date', direction: 'desc' };

const NO_PAGES: RowPages<ListRow> = pagesFrom([]);

type PageResult = { total: number; rows: ListRow[] };

export class MessageListState {
  readonly #api: ApiClient;
  #source = $state.raw<ListSource | null>(null);
  #isThreaded = $state(false);
  #sort = $state.raw<SortSpec>(DEFAULT_SORT);
  #total = $state(0);
  #pages = $state.raw<RowPages<ListRow>>(NO_PAGES);
  #hasFirstPage = $state(false);
  #error = $state<string | null>(null);
  #selection = $state.raw<ListSelection>(NO_SELECTION);
  /** The id of the focused row (kept apart: the row's page may not be loaded). */
  #focusedId = $state<number | null>(null);

  // Bookkeeping for fetches; nothing renders from these, so they are plain fields.
  #range: RowRange = EMPTY_RANGE;
  /** Bumped whenever the source or sort changes: replies for an older generation are dropped. */
  #generation = 0;
  /** Pages requested and not yet answered in this generation (never rendered, so not reactive). */
  #pagesInFlight: readonly number[] = [];
  #isReloading = false;
  #isReloadWanted = false;
  #inboxIds: ReadonlySet<number> = NO_IDS;
  #onFocusedChange: ((id: number | null) => void) | null = null;

  constructor(api: ApiClient) {
    this.#api = api;
    api.on('messages.changed', ({ folderIds }) => {
      if (isSourceChanged(this.#source, folderIds, this.#inboxIds)) void this.reload();
    });
  }

  /** Which folders are Inboxes (for All Inboxes to know which changes concern it). */
  setInboxIds(ids: ReadonlySet<number>): void {
    this.#inboxIds = ids;
  }

  /** Called when the focused message changes because the list changed (e.g. it was deleted). */
  onFocusedChange(listener: (id: number | null) => void): void {
    this.#onFocusedChange = listener;
  }

  get source(): ListSource | null {
    return this.#source;
  }

  /** The shown folder, or null for All Inboxes or nothing. */
  get folderId(): number | null {
    return this.#source?.kind === 'folder' ? this.#source.folderId : null;
  }

  get isAllInboxes(): boolean {
    return this.#source?.kind === 'allInboxes';
  }

  get isThreaded(): boolean {
    return this.#isThreaded;
  }

  get sort(): SortSpec {
    return this.#sort;
  }

  get total(): number {
    return this.#total;
  }

  /** False until the first page of the current source and sort has arrived. */
  get isLoaded(): boolean {
    return this.#hasFirstPage;
  }

  get error(): string | null {
    return this.#error;
  }

  get selection(): ListSelection {
    return this.#selection;
  }

  /** The focused row (keyboard position), -1 when none. */
  get selectedIndex(): number {
    return this.#selection.focus;
  }

  get selectedId(): number | null {
    return this.#focusedId;
  }

  get selectedIds(): number[] {
    return [...this.#selection.ids];
  }

  get selectedCount(): number {
    return this.#selection.ids.size;
  }

  /** The row at `index`, or undefined while its page is not loaded. */
  rowAt(index: number): ListRow | undefined {
    return rowAtIndex(this.#pages, index, PAGE_SIZE);
  }

  /** A loaded row by id (for the toolbar: is the selection unread?). */
  loadedRow(id: number): ListRow | undefined {
    const index = indexOfRowId(this.#pages, id, PAGE_SIZE);
    return index < 0 ? undefined : this.rowAt(index);
  }

  isRowSelected(index: number): boolean {
    const id = this.rowAt(index)?.id;
    return id !== undefined && this.#selection.ids.has(id);
  }

  show(source: ListSource | null): void {
    if (isSameSource(source, this.#source)) return;
    this.#source = source;
    this.#reset();
  }

  showAllInboxes(): void {
    this.show(ALL_INBOXES);
  }

  setSort(sort: SortSpec): void {
    if (sort.by === this.#sort.by && sort.direction === this.#sort.direction) return;
    this.#sort = sort;
    this.#reset();
  }

  setThreaded(isThreaded: boolean): void {
    if (isThreaded === this.#isThreaded) return;
    this.#isThreaded = isThreaded;
    this.#reset();
  }

  setVisibleRange(range: RowRange): void {
    this.#range = range;
    this.#pages = onlyPagesNear(this.#pages, range, PAGE_SIZE, KEEP_PAGES_AROUND);
    this.#fetchMissingPages();
  }

  /**
   * Requests the pages the visible rows need, at most MAX_PAGES_IN_FLIGHT at a time: a fast scroll
   * through 100,000 messages passes a page every frame, and asking for each would flood the
   * connection with pages already scrolled past. Each answer calls this again for what is missing.
   */
  #fetchMissingPages(): void {
    for (const page of pagesCovering(this.#range, PAGE_SIZE, this.#total, PREFETCH_ROWS)) {
      if (this.#pagesInFlight.length >= MAX_PAGES_IN_FLIGHT) return;
      if (!this.#pages.has(page) && !this.#pagesInFlight.includes(page)) void this.#fetchPage(page);
    }
  }

  /** Selects row `index` as a click with these modifiers would; resolves when the ids are known. */
  async select(index: number, mode: SelectMode = 'single'): Promise<void> {
    if (index < 0 || index >= this.#total) return;
    const id = this.rowAt(index)?.id;
    if (mode === 'toggle') {
      this.#setSelection(toggleAt(this.#selection, index, id), id ?? null);
      return;
    }
    if (mode === 'single') {
      this.#setSelection(selectSingle(index, id), id ?? null);
      return;
    }
    const range = extensionRange(this.#selection, index);
    const end = Math.min(range.end, range.start + MAX_SELECTION);
    const generation = this.#generation;
    const ids = await this.#idsIn(range.start, end);
    if (generation !== this.#generation) return;
    this.#setSelection(extendTo(this.#selection, index, ids), this.rowAt(index)?.id ?? null);
  }

  clearSelection(): void {
    this.#setSelection(NO_SELECTION, null);
  }

  /** Shows a change the user made (read on open, marked unread) before main confirms it. */
  patchRow(messageId: number, patch: Partial<Pick<ListRow, 'isSeen' | 'isFlagged'>>): void {
    this.#pages = patchRowById<ListRow>(this.#pages, messageId, patch);
  }

  /** Refetches the kept pages (and the total); overlapping requests collapse into one more pass. */
  async reload(): Promise<void> {
    this.#isReloadWanted = true;
    if (this.#isReloading) return;
    this.#isReloading = true;
    try {
      while (this.#isReloadWanted) {
        this.#isReloadWanted = false;
        const generation = ++this.#generation;
        this.#pagesInFlight = [];
        if (this.#source === null) return;
        const visible = pagesCovering(this.#range, PAGE_SIZE, this.#total);
        const wanted = [...this.#pages.keys(), ...visible.filter((page) => !this.#pages.has(page))];
        const pages = wanted.length > 0 ? wanted : [0];
        try {
          const results = await Promise.all(
            pages.map((page) => this.#requestRows(page * PAGE_SIZE, PAGE_SIZE)),
          );
          if (generation !== this.#generation) continue;
          this.#total = results[0]?.total ?? 0;
          this.#pages = pagesFrom(pages.map((page, i) => [page, results[i]?.rows ?? []] as const));
          this.#hasFirstPage = true;
          this.#error = null;
          this.#reselect();
        } catch (error) {
          if (generation === this.#generation) this.#error = errorText(error);
        }
      }
    } finally {
      this.#isReloading = false;
    }
  }

  #setSelection(selection: ListSelection, focusedId: number | null): void {
    this.#selection = selection;
    this.#focusedId = focusedId;
  }

  #reset(): void {
    this.#generation += 1;
    this.#pagesInFlight = [];
    this.#isReloadWanted = false;
    this.#pages = NO_PAGES;
    this.#total = 0;
    this.#hasFirstPage = false;
    this.#error = null;
    this.#setSelection(NO_SELECTION, null);
    this.#range = EMPTY_RANGE;
    if (this.#source !== null) void this.#fetchPage(0);
  }

  async #fetchPage(page: number): Promise<void> {
    if (this.#source === null) return;
    const generation = this.#generation;
    this.#pagesInFlight = [...this.#pagesInFlight, page];
    try {
      const result = await this.#requestRows(page * PAGE_SIZE, PAGE_SIZE);
      if (generation !== this.#generation) return;
      this.#total = result.total;
      this.#hasFirstPage = true;
      this.#error = null;
      // The user may have scrolled on while this page was on its way.
      if (isPageNear(page, this.#range, PAGE_SIZE, KEEP_PAGES_AROUND) || this.#pages.size === 0) {
        this.#pages = withPage(this.#pages, page, result.rows);
        this.#fillSelectionIds();
      }
    } catch (error) {
      // A page scrolled past may fail without harm; one still wanted is an error to show.
      if (generation === this.#generation && isPageNear(page, this.#range, PAGE_SIZE, 0)) {
        this.#error = errorText(error);
      }
    } finally {
      if (generation === this.#generation) {
        this.#pagesInFlight = this.#pagesInFlight.filter((p) => p !== page);
        // Not after a failure: a server that keeps failing must not be asked again and again.
        if (this.#error === null) this.#fetchMissingPages();
      }
    }
  }

  /** A row selected by keyboard before its page arrived gets its id now. */
  #fillSelectionIds(): void {
    const { focus } = this.#selection;
    if (focus < 0 || this.#focusedId !== null) return;
    const id = this.rowAt(focus)?.id;
    if (id === undefined) return;
    this.#setSelection(withId(this.#selection, id), id);
  }

  /** Ids of rows [start, end), from loaded pages where possible, else fetched (bounded). */
  async #idsIn(start: number, end: number): Promise<number[]> {
    const ids: number[] = [];
    let index = start;
    while (index < end) {
      const row = this.rowAt(index);
      if (row) {
        ids.push(row.id);
        index += 1;
        continue;
      }
      const limit = Math.min(RANGE_FETCH_ROWS, end - index);
      const { rows } = await this.#requestRows(index, limit);
      if (rows.length === 0) break;
      for (const fetched of rows) ids.push(fetched.id);
      index += rows.length;
    }
    return ids;
  }

  async #requestRows(offset: number, limit: number): Promise<PageResult> {
    const source = this.#source;
    if (source === null) return { total: 0, rows: [] };
    if (source.kind === 'folder' && !this.#isThreaded) {
      const page = await this.#api.call('messages.page', {
        folderId: source.folderId,
        offset,
        limit,
        sort: this.#sort,
      });
      return {
        total: page.total,
        rows: page.rows.map((row) => ({ ...row, threadSize: 1, threadUnread: row.isSeen ? 0 : 1 })),
      };
    }
    return this.#api.call('messages.listPage', {
      scope: scopeOf(source),
      threaded: this.#isThreaded,
      offset,
      limit,
      sort: this.#sort,
    });
  }

  /** Keeps the focused message selected when rows moved (new mail above it, a deletion). */
  #reselect(): void {
    const before = this.#focusedId;
    const next = afterListChange(
      this.#selection,
      this.#focusedId,
      (id) => indexOfRowId(this.#pages, id, PAGE_SIZE),
      (index) => this.rowAt(index)?.id,
      this.#total,
    );
    if (next === this.#selection) return;
    const focusedId = next.focus < 0 ? null : (this.rowAt(next.focus)?.id ?? null);
    this.#setSelection(next, focusedId);
    if (focusedId !== before) this.#onFocusedChange?.(focusedId);
  }
}
