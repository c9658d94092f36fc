/**
 * The fetched pages of a windowed list: page index -> its rows. Every function returns a new map
 * (or the same one when nothing changed), so the list state can hold it in `$state.raw` and
 * replace it wholesale instead of tracking each row.
 */
import { isPageNear, type RowRange } from './list-window';

export type RowPages<Row> = ReadonlyMap<number, readonly Row[]>;

export function rowAtIndex<Row>(pages: RowPages<Row>, index: number, pageSize: number): Row | undefined {
  return pages.get(Math.floor(index / pageSize))?.[index % pageSize];
}

export function withPage<Row>(pages: RowPages<Row>, page: number, rows: readonly Row[]): RowPages<Row> {
  return new Map(pages).set(page, rows);
}

/** The pages with several more (one request's answer split into pages). */
export function withPages<Row>(
  pages: RowPages<Row>,
  added: Iterable<readonly [number, readonly Row[]]>,
): RowPages<Row> {
  const next = new Map(pages);
  for (const [page, rows] of added) next.set(page, rows);
  return next;
}

export function pagesFrom<Row>(entries: Iterable<readonly [number, readonly Row[]]>): RowPages<Row> {
  return new Map(entries);
}

/** Drops the pages far from the visible rows; the same map when all are near. */
export function onlyPagesNear<Row>(
  pages: RowPages<Row>,
  range: RowRange,
  pageSize: number,
  keepPagesAround: number,
): RowPages<Row> {
  const kept = [...pages].filter(([page]) => isPageNear(page, range, pageSize, keepPagesAround));
  return kept.length === pages.size ? pages : new Map(kept);
}

/** The row with this id changed by `patch`; the same map when no loaded row has the id. */
export function patchRowById<Row extends { id: number }>(
  pages: RowPages<Row>,
  id: number,
  patch: Partial<Row>,
): RowPages<Row> {
  return patchRowsWhere(pages, (row) => row.id === id, patch);
}

/** The pages with `patch` applied to every loaded row `isPatched` picks; the same map if none. */
export function patchRowsWhere<Row extends { id: number }>(
  pages: RowPages<Row>,
  isPatched: (row: Row) => boolean,
  patch: Partial<Row>,
): RowPages<Row> {
  let isChanged = false;
  const patched = [...pages].map(([page, rows]): [number, readonly Row[]] => [
    page,
    rows.map((row) => {
      if (!isPatched(row)) return row;
      isChanged = true;
      return { ...row, ...patch };
    }),
  ]);
  return isChanged ? new Map(patched) : pages;
}

/** The list index of the loaded row with this id, or -1. */
export function indexOfRowId<Row extends { id: number }>(
  pages: RowPages<Row>,
  id: number,
  pageSize: number,
): number {
  for (const [page, rows] of pages) {
    const at = rows.findIndex((row) => row.id === id);
    if (at >= 0) return page * pageSize + at;
  }
  return -1;
}
