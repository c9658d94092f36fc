/**
 * The arithmetic of a windowed message list: which rows are on screen, which pages of rows to
 * fetch for them, and which fetched pages to drop. A folder may hold 100,000 messages: the list
 * keeps only the pages near the visible rows, and the DOM only the visible rows plus an overscan.
 */

/** Rows `start` (inclusive) to `end` (exclusive). */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

export const EMPTY_RANGE: RowRange = { start: 0, end: 0 };

export interface Viewport {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  total: number;
  /** Rows rendered beyond each edge so a fast scroll does not show blank space. */
  overscan: number;
}

export function visibleRange({ scrollTop, viewportHeight, rowHeight, total, overscan }: Viewport): RowRange {
  if (total <= 0 || rowHeight <= 0) return EMPTY_RANGE;
  const visibleCount = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  // A scroll position left over from a longer list (the folder shrank) still shows its last rows.
  const firstVisible = Math.min(
    Math.floor(Math.max(0, scrollTop) / rowHeight),
    Math.max(0, total - visibleCount),
  );
  return {
    start: Math.max(0, firstVisible - overscan),
    end: Math.min(total, firstVisible + visibleCount + overscan),
  };
}

export function pageOf(index: number, pageSize: number): number {
  return Math.floor(index / pageSize);
}

/** The pages holding rows `range`, widened by `marginRows` each side, within `total` rows. */
export function pagesCovering(range: RowRange, pageSize: number, total: number, marginRows = 0): number[] {
  if (total <= 0 || range.end <= range.start) return [];
  const first = pageOf(clamp(range.start - marginRows, 0, total - 1), pageSize);
  const last = pageOf(clamp(range.end - 1 + marginRows, 0, total - 1), pageSize);
  const pages: number[] = [];
  for (let page = first; page <= last; page++) pages.push(page);
  return pages;
}

/** Whether a fetched page is close enough to the visible rows to keep; the rest are dropped. */
export function isPageNear(
  page: number,
  range: RowRange,
  pageSize: number,
  keepPagesAround: number,
): boolean {
  const first = pageOf(range.start, pageSize);
  const last = pageOf(Math.max(range.start, range.end - 1), pageSize);
  return page >= first - keepPagesAround && page <= last + keepPagesAround;
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function scrollTopToReveal(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

/** The index keyboard navigation moves to from `index` (-1: nothing selected yet). */
export function stepIndex(index: number, step: number, total: number): number {
  if (total <= 0) return -1;
  if (index < 0) return step < 0 ? total - 1 : 0;
  return clamp(index + step, 0, total - 1);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/**
 * The row a pooled DOM row shows. The list keeps `slotCount` row elements in a fixed DOM order and
 * gives row `index` to slot `index % slotCount`, so a scroll changes the content and position of
 * the rows that left the window and moves no node. -1: the slot is not needed (the window is
 * shorter than the pool, at the end of a short folder).
 */
export function slotIndex(slot: number, range: RowRange, slotCount: number): number {
  if (slotCount <= 0 || range.end <= range.start) return -1;
  const index = range.start + ((((slot - range.start) % slotCount) + slotCount) % slotCount);
  return index < range.end ? index : -1;
}

/**
 * The pages to hold for the visible rows: those covering `range`, plus `aheadPages` beyond its edge
 * in the direction of the scroll (`direction` > 0 down, < 0 up, 0 both), within `total` rows.
 */
export function pagesWanted(
  range: RowRange,
  pageSize: number,
  total: number,
  direction: number,
  aheadPages = 1,
): number[] {
  const visible = pagesCovering(range, pageSize, total);
  if (visible.length === 0) return visible;
  const lastPage = pageOf(total - 1, pageSize);
  const first = visible[0] ?? 0;
  const last = visible[visible.length - 1] ?? 0;
  const before = direction <= 0 ? Math.max(0, first - aheadPages) : first;
  const after = direction >= 0 ? Math.min(lastPage, last + aheadPages) : last;
  // The visible pages first, nearest extra pages next: a capped request takes what matters most.
  const wanted = [...visible];
  for (let step = 1; step <= aheadPages; step++) {
    if (direction >= 0 && last + step <= after) wanted.push(last + step);
    if (direction <= 0 && first - step >= before) wanted.push(first - step);
  }
  return wanted;
}
