/**
 * The message list of one source (a folder, or All Inboxes), windowed: rows arrive in pages of
 * PAGE_SIZE and only the pages near the visible rows are kept, so a 100,000-message folder costs a
 * few hundred rows of memory. The view reports its visible range; this class fetches what is
 * missing and drops what scrolled far away. A `messages.changed` event refetches the kept pages.
 * A plain folder pages through `messages.page`; All Inboxes and the conversation view (one row per
 * thread) through `messages.listPage`. In the conversation view a thread's row opens inline
 * (thread-expansions.ts: the view's indices count the open threads' messages, the pages do not).
 * "Select all" is a selection of everything but some ids (selection.ts); actions on it go to main
 * as the source and the exceptions (messages.actOnAll), never as 100,000 ids.
 */
import type { ApiClient } from '../api/client';
import type { ListRow, SortSpec } from '../api/contract-types';
import { NO_IDS } from '../list/id-collections';
import { ALL_INBOXES, isSameSource, isSourceChanged, scopeOf, type ListSource } from '../list/list-source';
import { EMPTY_RANGE, isPageNear, pagesCovering, pagesWanted, type RowRange } from '../list/list-window';
import { SettleTimer } from '../list/settle-timer';
import {
  indexOfRowId,
  onlyPagesNear,
  pagesFrom,
  patchRowById,
  patchRowsWhere,
  rowAtIndex,
  withPages,
  type RowPages,
} from '../list/row-pages';
import {
  afterListChange,
  extendTo,
  extensionRange,
  isSelected,
  NO_SELECTION,
  selectAll,
  selectedCount,
  selectSingle,
  toggleAt,
  withId,
  type ListSelection,
  type SelectMode,
} from '../list/selection';
import {
  baseRange,
  displayIndexOf,
  displayTotal,
  locate,
  withExpansion,
  withoutExpansion,
  type ThreadExpansion,
} from '../list/thread-expansions';
import { errorText } from './error-text';

export const PAGE_SIZE = 100;
/** Pages fetched beyond the visible ones in the scroll direction, so scrolling rarely meets a placeholder. */
const PREFETCH_PAGES = 1;
/** The most pages one request asks for (the visible ones and the one ahead). */
const MAX_PAGES_PER_REQUEST = 3;
/** How long a fast scroll must pause before the rows it stopped at are fetched. */
const FLING_SETTLE_MS = 50;
/** Pages kept on either side of the visible ones before they are dropped. */
const KEEP_PAGES_AROUND = 2;
/** A shift-selection may cover at most this many rows (the API's limit per action). */
export const MAX_SELECTION = 10_000;
const RANGE_FETCH_ROWS = 500;

export const DEFAULT_SORT: SortSpec = { by: 'date', direction: 'desc' };

const NO_PAGES: RowPages<ListRow> = pagesFrom([]);

type PageResult = { total: number; rows: ListRow[] };

/** A row's place in the conversation view: a thread open or closed, a message of an open one. */
export type ThreadState = 'none' | 'collapsed' | 'expanded' | 'member';

const NO_EXPANSIONS: readonly ThreadExpansion<ListRow>[] = [];

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
  /** Threads opened inline in the conversation view (sorted by their row's index). */
  #expansions = $state.raw<readonly ThreadExpansion<ListRow>[]>(NO_EXPANSIONS);
  /** The id of the focused row (kept apart: the row's page may not be loaded). */
  #focusedId = $state<number | null>(null);

  // Bookkeeping for fetches; nothing renders from these, so they are plain fields.
  #range: RowRange = EMPTY_RANGE;
  /** Bumped whenever the source or sort changes: replies for an older generation are dropped. */
  #generation = 0;
  /** The request on its way (at most one; never rendered, so not reactive). */
  #fetching: { first: number; last: number } | null = null;
  /** Pending while the window is flown past (see setVisibleRange); fetches when the scroll slows. */
  readonly #fling = new SettleTimer(FLING_SETTLE_MS, () => this.#fetchWanted());
  /** The last scroll direction (1 down, -1 up, 0 not yet): the page fetched ahead is on that side. */
  #direction = 0;
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

  /** Rows shown: the folder's messages (or threads) plus the messages of open threads. */
  get total(): number {
    return displayTotal(this.#total, this.#expansions);
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

  /** The selected ids; none under "select all" (see isAllSelected and excludedIds). */
  get selectedIds(): number[] {
    return this.#selection.isAll ? [] : [...this.#selection.ids];
  }

  /** "Select all": every message of the source except excludedIds. */
  get isAllSelected(): boolean {
    return this.#selection.isAll;
  }

  get excludedIds(): number[] {
    return this.#selection.isAll ? [...this.#selection.ids] : [];
  }

  get selectedCount(): number {
    return selectedCount(this.#selection, this.#total);
  }

  /** The row at `index`, or undefined while its page is not loaded. */
  rowAt(index: number): ListRow | undefined {
    if (this.#expansions.length === 0) return rowAtIndex(this.#pages, index, PAGE_SIZE);
    const spot = locate(index, this.#expansions);
    if (spot.member < 0) return rowAtIndex(this.#pages, spot.base, PAGE_SIZE);
    return this.#expansions.find((e) => e.at === spot.base)?.members[spot.member];
  }

  /** Whether row `index` is a thread that can open, an open one, or a message of an open one. */
  threadStateAt(index: number): ThreadState {
    if (!this.#isThreaded) return 'none';
    const spot = locate(index, this.#expansions);
    if (spot.member >= 0) return 'member';
    if (this.#expansions.some((e) => e.at === spot.base)) return 'expanded';
    return (rowAtIndex(this.#pages, spot.base, PAGE_SIZE)?.threadSize ?? 1) > 1 ? 'collapsed' : 'none';
  }

  /** Whether `id` is shown as a message of an open thread (an action then takes it alone). */
  isThreadMemberId(id: number): boolean {
    return this.#expansions.some((e) => e.threadId !== id && e.members.some((row) => row.id === id));
  }

  /** Opens the thread at row `index` inline (Right arrow, the disclosure button). */
  async expandThread(index: number): Promise<void> {
    const source = this.#source;
    if (this.threadStateAt(index) !== 'collapsed' || source === null) return;
    const spot = locate(index, this.#expansions);
    const row = rowAtIndex(this.#pages, spot.base, PAGE_SIZE);
    if (!row) return;
    const generation = this.#generation;
    try {
      const { rows } = await this.#api.call('messages.threadMembers', {
        messageIds: [row.id],
        scope: scopeOf(source),
      });
      if (generation !== this.#generation || rows.length === 0) return;
      this.#expansions = withExpansion(this.#expansions, { at: spot.base, threadId: row.id, members: rows });
    } catch (error) {
      if (generation === this.#generation) this.#error = errorText(error);
    }
  }

  /**
   * Closes the thread at row `index` (Left arrow, the disclosure button); on one of its messages,
   * closes its thread and moves the focus to the thread's row.
   */
  collapseThread(index: number): void {
    const spot = locate(index, this.#expansions);
    const expansion = this.#expansions.find((e) => e.at === spot.base);
    if (!expansion) return;
    const focus = this.#selection.focus;
    const focusSpot = focus < 0 ? null : locate(focus, this.#expansions);
    this.#expansions = withoutExpansion(this.#expansions, spot.base);
    if (focusSpot !== null && focusSpot.base === spot.base && focusSpot.member >= 0) {
      this.#setSelection(
        selectSingle(displayIndexOf(spot.base, this.#expansions), expansion.threadId),
        expansion.threadId,
      );
    } else if (focusSpot !== null && focusSpot.base > spot.base) {
      // Rows below the closed thread move up by its message count.
      const moved = focus - expansion.members.length;
      this.#setSelection({ ...this.#selection, focus: moved, anchor: moved }, this.#focusedId);
    }
  }

  /** A loaded row by id (for the toolbar: is the selection unread?). */
  loadedRow(id: number): ListRow | undefined {
    const index = indexOfRowId(this.#pages, id, PAGE_SIZE);
    return index < 0 ? undefined : rowAtIndex(this.#pages, index, PAGE_SIZE);
  }

  /**
   * Whether every selected row that is loaded passes `test` (false when none is loaded). Under
   * "select all" only the loaded pages (a few hundred rows) are looked at, never the whole folder.
   */
  isLoadedSelectionAll(test: (row: ListRow) => boolean): boolean {
    let isAny = false;
    for (const rows of this.#pages.values()) {
      for (const row of rows) {
        if (!isSelected(this.#selection, row.id)) continue;
        if (!test(row)) return false;
        isAny = true;
      }
    }
    return isAny;
  }

  isRowSelected(index: number): boolean {
    return isSelected(this.#selection, this.rowAt(index)?.id);
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

  setVisibleRange(displayRange: RowRange): void {
    const range = this.#expansions.length === 0 ? displayRange : baseRange(displayRange, this.#expansions);
    const jump = Math.abs(range.start - this.#range.start);
    if (range.start !== this.#range.start) this.#direction = Math.sign(range.start - this.#range.start);
    this.#range = range;
    this.#pages = onlyPagesNear(this.#pages, range, PAGE_SIZE, KEEP_PAGES_AROUND);
    // A window that moved by more than its own height since the last frame is being flown past
    // (a fling, the scroll bar dragged): its rows would arrive after it is gone. Placeholders show
    // until the scroll slows or stops, and only the window it stops at is asked for.
    if (jump > range.end - range.start && this.#hasFirstPage) {
      this.#fling.poke();
      return;
    }
    this.#fling.cancel();
    this.#fetchWanted();
  }

  /**
   * Requests what the visible rows need, one request at a time: a fast scroll through 100,000
   * messages passes a page every frame, and asking for each would flood the connection with pages
   * already scrolled past. While a request is on its way the window just moves on; its answer
   * calls this again, which then asks for the latest window only (plus one page ahead in the
   * direction of the scroll), as one call for the run of missing pages.
   */
  #fetchWanted(): void {
    if (this.#source === null || this.#fetching !== null || this.#total <= 0) return;
    if (this.#fling.isPending) return;
    const wanted = pagesWanted(this.#range, PAGE_SIZE, this.#total, this.#direction, PREFETCH_PAGES);
    const missing = wanted.filter((page) => !this.#pages.has(page));
    if (missing.length === 0) return;
    const first = Math.min(...missing);
    const last = Math.min(Math.max(...missing), first + MAX_PAGES_PER_REQUEST - 1);
    void this.#fetchPages(first, last);
  }

  /** Selects row `index` as a click with these modifiers would; resolves when the ids are known. */
  async select(index: number, mode: SelectMode = 'single'): Promise<void> {
    if (index < 0 || index >= this.total) return;
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

  /** Ctrl+A: the whole list, without fetching it (actions name the source and the exceptions). */
  selectAll(): void {
    if (this.#source === null || this.#total === 0) return;
    this.#setSelection(selectAll(this.#selection), this.#focusedId);
  }

  clearSelection(): void {
    this.#setSelection(NO_SELECTION, null);
  }

  /** Shows a change the user made (read on open, marked unread) before main confirms it. */
  patchRow(messageId: number, patch: Partial<Pick<ListRow, 'isSeen' | 'isFlagged'>>): void {
    this.#pages = patchRowById<ListRow>(this.#pages, messageId, patch);
  }

  /** Patches every loaded selected row, so a whole-folder action shows before the list reloads. */
  patchSelectedRows(patch: Partial<Pick<ListRow, 'isSeen' | 'isFlagged'>>): void {
    const selection = this.#selection;
    this.#pages = patchRowsWhere<ListRow>(this.#pages, (row) => isSelected(selection, row.id), patch);
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
        this.#fetching = null;
        if (this.#source === null) return;
        const visible = pagesCovering(this.#range, PAGE_SIZE, this.#total);
        const wanted = [...this.#pages.keys(), ...visible.filter((page) => !this.#pages.has(page))];
        const pages = wanted.length > 0 ? wanted : [0];
        try {
          const results = await Promise.all(
            pages.map((page) => this.#requestRows(page * PAGE_SIZE, PAGE_SIZE)),
          );
          if (generation !== this.#generation) continue;
          const focusWasMember = this.#focusIsMember();
          this.#total = results[0]?.total ?? 0;
          this.#pages = pagesFrom(pages.map((page, i) => [page, results[i]?.rows ?? []] as const));
          this.#expansions = this.#keptExpansions();
          this.#hasFirstPage = true;
          this.#error = null;
          this.#reselect(focusWasMember);
          void this.#refreshExpansions(generation);
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
    this.#fetching = null;
    this.#fling.cancel();
    this.#direction = 0;
    this.#isReloadWanted = false;
    this.#pages = NO_PAGES;
    this.#expansions = NO_EXPANSIONS;
    this.#total = 0;
    this.#hasFirstPage = false;
    this.#error = null;
    this.#setSelection(NO_SELECTION, null);
    this.#range = EMPTY_RANGE;
    if (this.#source !== null) void this.#fetchPages(0, 0);
  }

  /** Fetches pages first..last in one call; pages scrolled far away by then are dropped unseen. */
  async #fetchPages(first: number, last: number): Promise<void> {
    if (this.#source === null) return;
    const generation = this.#generation;
    const request = { first, last };
    this.#fetching = request;
    try {
      const result = await this.#requestRows(first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE);
      if (generation !== this.#generation) return;
      const isFirstAnswer = !this.#hasFirstPage;
      this.#total = result.total;
      this.#hasFirstPage = true;
      this.#error = null;
      const arrived: Array<readonly [number, readonly ListRow[]]> = [];
      for (let page = first; page <= last; page++) {
        const rows = result.rows.slice((page - first) * PAGE_SIZE, (page - first + 1) * PAGE_SIZE);
        // The user may have scrolled on while this page was on its way.
        if (isFirstAnswer || isPageNear(page, this.#range, PAGE_SIZE, KEEP_PAGES_AROUND)) {
          arrived.push([page, rows]);
        }
      }
      if (arrived.length > 0) {
        this.#pages = withPages(this.#pages, arrived);
        this.#fillSelectionIds();
      }
    } catch (error) {
      // A page scrolled past may fail without harm; one still wanted is an error to show.
      const isWanted = [first, last].some((page) => isPageNear(page, this.#range, PAGE_SIZE, 0));
      if (generation === this.#generation && isWanted) this.#error = errorText(error);
    } finally {
      if (this.#fetching === request) {
        this.#fetching = null;
        // Not after a failure: a server that keeps failing must not be asked again and again.
        if (generation === this.#generation && this.#error === null) this.#fetchWanted();
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
      // Rows not loaded are thread rows (open threads' messages are always loaded): fetch up to
      // the next open thread.
      const base = locate(index, this.#expansions).base;
      const nextOpen = this.#expansions.find((e) => e.at >= base)?.at ?? Number.MAX_SAFE_INTEGER;
      const limit = Math.min(RANGE_FETCH_ROWS, end - index, nextOpen - base + 1);
      const { rows } = await this.#requestRows(base, limit);
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

  #focusIsMember(): boolean {
    const { focus } = this.#selection;
    return focus >= 0 && locate(focus, this.#expansions).member >= 0;
  }

  /** After a reload: the open threads whose rows are still loaded, at their rows' new places. */
  #keptExpansions(): readonly ThreadExpansion<ListRow>[] {
    if (this.#expansions.length === 0) return NO_EXPANSIONS;
    const kept: ThreadExpansion<ListRow>[] = [];
    for (const expansion of this.#expansions) {
      const at = indexOfRowId(this.#pages, expansion.threadId, PAGE_SIZE);
      if (at >= 0) kept.push({ ...expansion, at });
    }
    return kept.sort((a, b) => a.at - b.at);
  }

  /** The open threads' messages again (one was read, moved, deleted); a thread now empty closes. */
  async #refreshExpansions(generation: number): Promise<void> {
    const source = this.#source;
    if (source === null || this.#expansions.length === 0) return;
    try {
      const refreshed = await Promise.all(
        this.#expansions.map(async (expansion) => {
          const { rows } = await this.#api.call('messages.threadMembers', {
            messageIds: [expansion.threadId],
            scope: scopeOf(source),
          });
          return { ...expansion, members: rows };
        }),
      );
      if (generation !== this.#generation) return;
      const focusWasMember = this.#focusIsMember();
      this.#expansions = refreshed.filter((expansion) => expansion.members.length > 0);
      this.#reselect(focusWasMember);
    } catch {
      // The rows shown stay as they were; the next change event tries again.
    }
  }

  /** The display index of message `id`: in an open thread first when the focus was there. */
  #displayIndexOfId(id: number, preferMember: boolean): number {
    const inThread = (): number => {
      for (const expansion of this.#expansions) {
        const member = expansion.members.findIndex((row) => row.id === id);
        if (member >= 0) return displayIndexOf(expansion.at, this.#expansions) + 1 + member;
      }
      return -1;
    };
    if (preferMember) {
      const found = inThread();
      if (found >= 0) return found;
    }
    const base = indexOfRowId(this.#pages, id, PAGE_SIZE);
    if (base >= 0) return displayIndexOf(base, this.#expansions);
    return preferMember ? -1 : inThread();
  }

  /** Keeps the focused message selected when rows moved (new mail above it, a deletion). */
  #reselect(focusWasMember = false): void {
    const before = this.#focusedId;
    // A focused row scrolled far away is not loaded: whether it moved or left cannot be told, so
    // the selection (a "select all" too) stays as it is.
    const { focus } = this.#selection;
    if (
      focus >= 0 &&
      before !== null &&
      this.rowAt(focus) === undefined &&
      this.#displayIndexOfId(before, focusWasMember) < 0
    ) {
      return;
    }
    const next = afterListChange(
      this.#selection,
      this.#focusedId,
      (id) => this.#displayIndexOfId(id, focusWasMember),
      (index) => this.rowAt(index)?.id,
      this.total,
    );
    if (next === this.#selection) return;
    const focusedId = next.focus < 0 ? null : (this.rowAt(next.focus)?.id ?? null);
    this.#setSelection(next, focusedId);
    if (focusedId !== before) this.#onFocusedChange?.(focusedId);
  }
}
