import { describe, expect, it } from 'vitest';
import {
  afterListChange,
  extendTo,
  extensionRange,
  isSelectAllKey,
  isSelected,
  NO_SELECTION,
  selectAll,
  selectedCount,
  selectModeOf,
  selectSingle,
  toggleAt,
  withId,
} from '../../../../../src-renderer/src/lib/list/selection';

const click = { shiftKey: false, ctrlKey: false, metaKey: false };

describe('selecting messages', () => {
  it('reads a plain click as single, Ctrl or Cmd as toggle, Shift as extend', () => {
    expect(selectModeOf(click)).toBe('single');
    expect(selectModeOf({ ...click, ctrlKey: true })).toBe('toggle');
    expect(selectModeOf({ ...click, metaKey: true })).toBe('toggle');
    expect(selectModeOf({ ...click, shiftKey: true, ctrlKey: true })).toBe('extend');
  });

  it('a click selects exactly one message and makes it the anchor', () => {
    const selection = selectSingle(4, 104);
    expect([...selection.ids]).toEqual([104]);
    expect(selection.focus).toBe(4);
    expect(selection.anchor).toBe(4);
  });

  it('Ctrl-click adds and removes single messages', () => {
    let selection = selectSingle(1, 101);
    selection = toggleAt(selection, 5, 105);
    expect([...selection.ids].sort()).toEqual([101, 105]);
    selection = toggleAt(selection, 1, 101);
    expect([...selection.ids]).toEqual([105]);
    expect(selection.anchor).toBe(1);
  });

  it('Shift-click selects the rows between the anchor and the clicked row, in either direction', () => {
    const selection = selectSingle(10, 110);
    expect(extensionRange(selection, 13)).toEqual({ start: 10, end: 14 });
    expect(extensionRange(selection, 7)).toEqual({ start: 7, end: 11 });
    const extended = extendTo(selection, 13, [110, 111, 112, 113]);
    expect(extended.ids.size).toBe(4);
    expect(extended.anchor).toBe(10);
    expect(extended.focus).toBe(13);
    // A second shift-click from the same anchor replaces the range rather than adding to it.
    const shrunk = extendTo(extended, 11, [110, 111]);
    expect([...shrunk.ids]).toEqual([110, 111]);
  });

  it('Shift with nothing selected starts the range at the clicked row', () => {
    expect(extensionRange(NO_SELECTION, 3)).toEqual({ start: 3, end: 4 });
    expect(isSelected(NO_SELECTION, 3)).toBe(false);
    expect(isSelected(selectSingle(0, 3), 3)).toBe(true);
    expect(isSelected(selectSingle(0, 3), undefined)).toBe(false);
  });
});

describe('the selection after the list changed', () => {
  const ids = [200, 201, 202, 203];
  const indexOfId = (id: number) => ids.indexOf(id);
  const idAt = (index: number) => ids[index];

  it('follows the focused message when new mail pushed it down', () => {
    const next = afterListChange(selectSingle(0, 201), 201, indexOfId, idAt, ids.length);
    expect(next.focus).toBe(1);
    expect(next.anchor).toBe(1);
  });

  it("hands the selection to the message now in the deleted one's place", () => {
    const next = afterListChange(selectSingle(2, 999), 999, indexOfId, idAt, ids.length);
    expect(next.focus).toBe(2);
    expect([...next.ids]).toEqual([202]);
  });

  it('moves to the new last row when the last message was deleted, and clears on an empty list', () => {
    expect(afterListChange(selectSingle(9, 999), 999, indexOfId, idAt, ids.length).focus).toBe(3);
    expect(
      afterListChange(
        selectSingle(0, 999),
        999,
        () => -1,
        () => undefined,
        0,
      ),
    ).toBe(NO_SELECTION);
    expect(afterListChange(NO_SELECTION, null, indexOfId, idAt, 4)).toBe(NO_SELECTION);
  });
});

describe('a row selected before its page arrived', () => {
  it('gets its id added once the page is there, and only once', () => {
    const selection = selectSingle(7, undefined);
    expect(selection.ids.size).toBe(0);
    const filled = withId(selection, 107);
    expect([...filled.ids]).toEqual([107]);
    expect(withId(filled, 107)).toBe(filled);
  });
});

describe('select all (Ctrl+A)', () => {
  const keys = { key: 'a', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };

  it('reads Ctrl+A and Cmd+A, not a plain a, Shift or Alt with it', () => {
    expect(isSelectAllKey({ ...keys, ctrlKey: true })).toBe(true);
    expect(isSelectAllKey({ ...keys, key: 'A', metaKey: true })).toBe(true);
    expect(isSelectAllKey(keys)).toBe(false);
    expect(isSelectAllKey({ ...keys, ctrlKey: true, shiftKey: true })).toBe(false);
    expect(isSelectAllKey({ ...keys, ctrlKey: true, altKey: true })).toBe(false);
    expect(isSelectAllKey({ ...keys, key: 'c', ctrlKey: true })).toBe(false);
  });

  it('selects every message, loaded or not, and keeps the focus', () => {
    const all = selectAll(selectSingle(4, 40));
    expect(all.isAll).toBe(true);
    expect(all.focus).toBe(4);
    expect(isSelected(all, 40)).toBe(true);
    expect(isSelected(all, 99_999)).toBe(true);
    expect(isSelected(all, undefined)).toBe(true);
    expect(selectedCount(all, 100_000)).toBe(100_000);
  });

  it('leaves a Ctrl-clicked message out, and takes it back on a second Ctrl-click', () => {
    const all = selectAll(NO_SELECTION);
    const without = toggleAt(all, 3, 30);
    expect(without.isAll).toBe(true);
    expect(isSelected(without, 30)).toBe(false);
    expect(isSelected(without, 31)).toBe(true);
    expect(selectedCount(without, 100_000)).toBe(99_999);
    const back = toggleAt(without, 3, 30);
    expect(isSelected(back, 30)).toBe(true);
    expect(selectedCount(back, 100_000)).toBe(100_000);
  });

  it('ends with a plain click or a shift-extension, and ignores late ids', () => {
    const all = selectAll(selectSingle(0, 10));
    expect(selectSingle(2, 12).isAll).toBe(false);
    const extended = extendTo(all, 2, [10, 11, 12]);
    expect(extended.isAll).toBe(false);
    expect(selectedCount(extended, 100)).toBe(3);
    expect(withId(all, 77)).toBe(all);
    expect(selectedCount(NO_SELECTION, 100)).toBe(0);
    expect(isSelected(NO_SELECTION, undefined)).toBe(false);
  });
});
