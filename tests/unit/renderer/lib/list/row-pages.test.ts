import { describe, expect, it } from 'vitest';
import {
  indexOfRowId,
  onlyPagesNear,
  pagesFrom,
  patchRowById,
  patchRowsWhere,
  rowAtIndex,
  withPage,
} from '../../../../../src-renderer/src/lib/list/row-pages';

interface Row {
  id: number;
  isSeen: boolean;
}

const PAGE = 3;
const page = (first: number): Row[] => [0, 1, 2].map((i) => ({ id: first + i, isSeen: false }));

describe('row pages', () => {
  const pages = pagesFrom([
    [0, page(100)],
    [2, page(200)],
  ]);

  it('finds a row by list index, and nothing where no page is loaded', () => {
    expect(rowAtIndex(pages, 1, PAGE)?.id).toBe(101);
    expect(rowAtIndex(pages, 7, PAGE)?.id).toBe(201);
    expect(rowAtIndex(pages, 4, PAGE)).toBeUndefined();
  });

  it('adds a page without touching the map it came from', () => {
    const next = withPage(pages, 1, page(150));
    expect(rowAtIndex(next, 4, PAGE)?.id).toBe(151);
    expect(pages.has(1)).toBe(false);
  });

  it('drops far pages and returns the same map when nothing is dropped', () => {
    const many = pagesFrom(Array.from({ length: 50 }, (_, i) => [i, page(i * 10)] as const));
    const near = onlyPagesNear(many, { start: 60, end: 66 }, PAGE, 1);
    expect([...near.keys()]).toEqual([19, 20, 21, 22]);
    expect(onlyPagesNear(near, { start: 60, end: 66 }, PAGE, 1)).toBe(near);
  });

  it('patches one row by id and keeps the rest as they were', () => {
    const patched = patchRowById(pages, 201, { isSeen: true });
    expect(rowAtIndex(patched, 7, PAGE)).toEqual({ id: 201, isSeen: true });
    expect(rowAtIndex(patched, 0, PAGE)).toBe(rowAtIndex(pages, 0, PAGE));
    expect(patchRowById(pages, 999, { isSeen: true })).toBe(pages);
  });

  it('patches every loaded row a predicate picks, across pages', () => {
    const picked = new Set([201, 100]);
    const patched = patchRowsWhere(pages, (row) => picked.has(row.id), { isSeen: true });
    expect(rowAtIndex(patched, 7, PAGE)).toEqual({ id: 201, isSeen: true });
    expect(rowAtIndex(patched, 0, PAGE)?.isSeen).toBe(true);
    expect(rowAtIndex(patched, 1, PAGE)).toBe(rowAtIndex(pages, 1, PAGE));
    expect(patchRowsWhere(pages, () => false, { isSeen: true })).toBe(pages);
  });

  it('locates a row id in the list after the rows moved', () => {
    expect(indexOfRowId(pages, 202, PAGE)).toBe(8);
    expect(indexOfRowId(pages, 5, PAGE)).toBe(-1);
  });
});
