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
