import { describe, expect, it } from 'vitest';
import {
  isPageNear,
  pagesCovering,
  scrollTopToReveal,
  stepIndex,
  visibleRange,
  pagesWanted,
  slotIndex,
} from '../../../../../src-renderer/src/lib/list/list-window';

const ROW = 56;

describe('visibleRange', () => {
  it('renders only the rows in view plus the overscan, however long the folder', () => {
    const range = visibleRange({
      scrollTop: 0,
      viewportHeight: 560,
      rowHeight: ROW,
      total: 100_000,
      overscan: 5,
    });
    expect(range).toEqual({ start: 0, end: 16 });
  });

  it('follows the scroll position into the middle of 100,000 rows', () => {
    const scrollTop = 50_000 * ROW + 10;
    const range = visibleRange({
      scrollTop,
      viewportHeight: 560,
      rowHeight: ROW,
      total: 100_000,
      overscan: 5,
    });
    expect(range).toEqual({ start: 49_995, end: 50_016 });
    expect(range.end - range.start).toBeLessThan(30);
  });

  it('never goes past the last row or before the first, even when the folder shrank under the scroll position', () => {
    expect(
      visibleRange({ scrollTop: 10_000, viewportHeight: 560, rowHeight: ROW, total: 3, overscan: 5 }),
    ).toEqual({
      start: 0,
      end: 3,
    });
    expect(
      visibleRange({ scrollTop: -40, viewportHeight: 100, rowHeight: ROW, total: 0, overscan: 5 }),
    ).toEqual({
      start: 0,
      end: 0,
    });
  });
});

describe('pages', () => {
  it('fetches the pages under the visible rows, widened by the prefetch margin', () => {
    expect(pagesCovering({ start: 0, end: 20 }, 100, 100_000)).toEqual([0]);
    expect(pagesCovering({ start: 95, end: 115 }, 100, 100_000)).toEqual([0, 1]);
    expect(pagesCovering({ start: 120, end: 140 }, 100, 100_000, 50)).toEqual([0, 1]);
    expect(pagesCovering({ start: 160, end: 180 }, 100, 100_000, 50)).toEqual([1, 2]);
  });

  it('asks for nothing beyond the last row', () => {
    expect(pagesCovering({ start: 240, end: 250 }, 100, 250, 500)).toEqual([0, 1, 2]);
    expect(pagesCovering({ start: 0, end: 0 }, 100, 250)).toEqual([]);
    expect(pagesCovering({ start: 0, end: 10 }, 100, 0)).toEqual([]);
  });

  it('keeps pages near the visible rows and lets far ones go, so memory stays bounded', () => {
    const range = { start: 50_000, end: 50_020 };
    const kept = Array.from({ length: 1000 }, (_, page) => page).filter((page) =>
      isPageNear(page, range, 100, 2),
    );
    expect(kept).toEqual([498, 499, 500, 501, 502]);
  });
});

describe('keyboard movement', () => {
  it('steps within the list and starts at an end when nothing is selected', () => {
    expect(stepIndex(-1, 1, 10)).toBe(0);
    expect(stepIndex(-1, -1, 10)).toBe(9);
    expect(stepIndex(4, 1, 10)).toBe(5);
    expect(stepIndex(9, 1, 10)).toBe(9);
    expect(stepIndex(3, -100, 10)).toBe(0);
    expect(stepIndex(3, 1, 0)).toBe(-1);
  });

  it('scrolls just enough to show the selected row', () => {
    expect(scrollTopToReveal(0, ROW, 300, 560)).toBe(0);
    expect(scrollTopToReveal(20, ROW, 0, 560)).toBe(21 * ROW - 560);
    expect(scrollTopToReveal(5, ROW, 0, 560)).toBe(0);
  });
});

describe('the pooled rows and the pages to fetch', () => {
  it('gives each visible row one slot of the pool, the same slot for a row while it stays', () => {
    const range = { start: 40, end: 66 };
    const shown = Array.from({ length: 26 }, (_, slot) => slotIndex(slot, range, 26));
    expect([...shown].sort((a, b) => a - b)).toEqual(Array.from({ length: 26 }, (_, i) => 40 + i));
    expect(shown.every((index) => index % 26 === shown.indexOf(index))).toBe(true);
    // One row further down: only the slot of row 40 changes (to row 66).
    const next = Array.from({ length: 26 }, (_, slot) => slotIndex(slot, { start: 41, end: 67 }, 26));
    expect(next.filter((index, slot) => index !== shown[slot])).toEqual([66]);
  });

  it('leaves the slots a short window does not need empty (-1)', () => {
    const shown = Array.from({ length: 10 }, (_, slot) => slotIndex(slot, { start: 0, end: 4 }, 10));
    expect(shown).toEqual([0, 1, 2, 3, -1, -1, -1, -1, -1, -1]);
    expect(slotIndex(0, { start: 0, end: 0 }, 10)).toBe(-1);
  });

  it('wants the visible pages first, then one ahead in the direction of the scroll', () => {
    expect(pagesWanted({ start: 150, end: 176 }, 100, 100_000, 1)).toEqual([1, 2]);
    expect(pagesWanted({ start: 180, end: 206 }, 100, 100_000, 1)).toEqual([1, 2, 3]);
    expect(pagesWanted({ start: 180, end: 206 }, 100, 100_000, -1)).toEqual([1, 2, 0]);
    expect(pagesWanted({ start: 150, end: 176 }, 100, 100_000, 0)).toEqual([1, 2, 0]);
    expect(pagesWanted({ start: 99_980, end: 100_000 }, 100, 100_000, 1)).toEqual([999]);
    expect(pagesWanted({ start: 0, end: 26 }, 100, 100_000, -1)).toEqual([0]);
    expect(pagesWanted({ start: 0, end: 0 }, 100, 0, 1)).toEqual([]);
  });
});
