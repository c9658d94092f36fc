/**
 * The message list of one folder, windowed: rows arrive in pages of PAGE_SIZE from `messages.page`
 * and only the pages near the visible rows are kept, so a 100,000-message folder costs a few
 * hundred rows of memory. The view reports its visible range; this class fetches what is missing
 * and drops what scrolled far away. A `messages.changed` event refetches the kept pages.
 */
import type { ApiClient } from '../api/client';
import type { MessageRow, SortSpec } from '../api/contract-types';
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
import { errorText } from './error-text';

export const PAGE_SIZE = 100;
/** Rows beyond the visible ones fetched ahead, so scrolling rarely meets a row still loading. */
const PREFETCH_ROWS = PAGE_SIZE / 2;
/** Pages kept on either side of the visible ones before they are dropped. */
const KEEP_PAGES_AROUND = 2;

export const DEFAULT_SORT: SortSpec = { by: 'date', direction: 'desc' };

const NO_PAGES: RowPages<MessageRow> = pagesFrom([]);

export class MessageListState {
  readonly #api: ApiClient;
  #folderId = $state<number | null>(null);
  #sort = $state.raw<SortSpec>(DEFAULT_SORT);
  #total = $state(0);
  #pages = $state.raw<RowPages<MessageRow>>(NO_PAGES);
  #hasFirstPage = $state(false);
  #error = $state<string | null>(null);
  #selectedIndex = $state(-1);
  #selectedId = $state<number | null>(null);

  // Bookkeeping for fetches; nothing renders from these, so they are plain fields.
  #range: RowRange = EMPTY_RANGE;
  /** Bumped whenever the folder or sort changes: replies for an older generation are dropped. */
  #generation = 0;
  /** Pages requested and not yet answered in this generation (never rendered, so not reactive). */
  #pagesInFlight: readonly number[] = [];
  #isReloading = false;
  #isReloadWanted = false;

  constructor(api: ApiClient) {
    this.#api = api;
    api.on('messages.changed', ({ folderIds }) => {
      if (this.#folderId !== null && folderIds.includes(this.#folderId)) void this.reload();
    });
  }

  get folderId(): number | null {
    return this.#folderId;
  }

  get sort(): SortSpec {
    return this.#sort;
  }

  get total(): number {
    return this.#total;
  }

  /** False until the first page of the current folder and sort has arrived. */
  get isLoaded(): boolean {
    return this.#hasFirstPage;
  }

  get error(): string | null {
    return this.#error;
  }

  get selectedIndex(): number {
    return this.#selectedIndex;
  }

  get selectedId(): number | null {
    return this.#selectedId;
  }

  /** The row at `index`, or undefined while its page is not loaded. */
  rowAt(index: number): MessageRow | undefined {
    return rowAtIndex(this.#pages, index, PAGE_SIZE);
  }

  show(folderId: number | null): void {
    this.#folderId = folderId;
    this.#reset();
  }

  setSort(sort: SortSpec): void {
    if (sort.by === this.#sort.by && sort.direction === this.#sort.direction) return;
    this.#sort = sort;
    this.#reset();
  }

  setVisibleRange(range: RowRange): void {
    this.#range = range;
    this.#pages = onlyPagesNear(this.#pages, range, PAGE_SIZE, KEEP_PAGES_AROUND);
    for (const page of pagesCovering(range, PAGE_SIZE, this.#total, PREFETCH_ROWS)) {
      if (!this.#pages.has(page) && !this.#pagesInFlight.includes(page)) void this.#fetchPage(page);
    }
  }

  select(index: number): void {
    this.#selectedIndex = index;
    this.#selectedId = this.rowAt(index)?.id ?? null;
  }

  /** Shows a change the user made (e.g. read on open) before the main process confirms it. */
  patchRow(messageId: number, patch: Partial<Pick<MessageRow, 'isSeen' | 'isFlagged'>>): void {
    this.#pages = patchRowById<MessageRow>(this.#pages, messageId, patch);
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
        const folderId = this.#folderId;
        if (folderId === null) return;
        const visible = pagesCovering(this.#range, PAGE_SIZE, this.#total);
        const wanted = [...this.#pages.keys(), ...visible.filter((page) => !this.#pages.has(page))];
        const pages = wanted.length > 0 ? wanted : [0];
        try {
          const results = await Promise.all(pages.map((page) => this.#requestPage(folderId, page)));
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

  #reset(): void {
    this.#generation += 1;
    this.#pagesInFlight = [];
    this.#isReloadWanted = false;
    this.#pages = NO_PAGES;
    this.#total = 0;
    this.#hasFirstPage = false;
    this.#error = null;
    this.#selectedIndex = -1;
    this.#selectedId = null;
    this.#range = EMPTY_RANGE;
    if (this.#folderId !== null) void this.#fetchPage(0);
  }

  async #fetchPage(page: number): Promise<void> {
    const folderId = this.#folderId;
    if (folderId === null) return;
    const generation = this.#generation;
    this.#pagesInFlight = [...this.#pagesInFlight, page];
    try {
      const result = await this.#requestPage(folderId, page);
      if (generation !== this.#generation) return;
      this.#total = result.total;
      this.#hasFirstPage = true;
      this.#error = null;
      // The user may have scrolled on while this page was on its way.
      if (isPageNear(page, this.#range, PAGE_SIZE, KEEP_PAGES_AROUND) || this.#pages.size === 0) {
        this.#pages = withPage(this.#pages, page, result.rows);
        if (this.#selectedIndex >= 0 && this.#selectedId === null) {
          this.#selectedId = this.rowAt(this.#selectedIndex)?.id ?? null;
        }
      }
    } catch (error) {
      if (generation === this.#generation) this.#error = errorText(error);
    } finally {
      if (generation === this.#generation)
        this.#pagesInFlight = this.#pagesInFlight.filter((p) => p !== page);
    }
  }

  #requestPage(folderId: number, page: number) {
    return this.#api.call('messages.page', {
      folderId,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      sort: this.#sort,
    });
  }

  /** Keeps the selected message selected when rows moved (new mail above it, a deletion). */
  #reselect(): void {
    if (this.#selectedIndex < 0) return;
    const movedTo = this.#selectedId === null ? -1 : indexOfRowId(this.#pages, this.#selectedId, PAGE_SIZE);
    if (movedTo >= 0) {
      this.#selectedIndex = movedTo;
      return;
    }
    this.#selectedIndex = Math.min(this.#selectedIndex, this.#total - 1);
    this.#selectedId = this.rowAt(this.#selectedIndex)?.id ?? null;
  }
}
