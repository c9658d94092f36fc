/**
 * Which messages of the list are selected. Rows are known by index while the list is windowed, but
 * the selection keeps message ids, so it survives rows moving (new mail above) and pages being
 * dropped. `focus` is the row the keyboard is on (the grid's active descendant); `anchor` is where
 * a shift-extension starts.
 */
export interface ListSelection {
  /** The selected ids; with `isAll`, the ids left OUT of the selection. */
  readonly ids: ReadonlySet<number>;
  /**
   * "Select all" (Ctrl+A): every message of the list except `ids`. A folder of 100,000 messages is
   * selected without knowing its ids; actions send the folder and the exceptions to main.
   */
  readonly isAll: boolean;
  /** -1 when nothing is selected. */
  readonly focus: number;
  readonly anchor: number;
}

export type SelectMode = 'single' | 'toggle' | 'extend';

export const NO_SELECTION: ListSelection = { ids: new Set(), isAll: false, focus: -1, anchor: -1 };

/** Ctrl (Cmd on macOS) toggles a row, Shift extends from the anchor, a plain click selects one. */
export function selectModeOf(event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): SelectMode {
  if (event.shiftKey) return 'extend';
  if (event.ctrlKey || event.metaKey) return 'toggle';
  return 'single';
}

/** Ctrl+A, or Cmd+A on macOS (no Shift or Alt: those are other commands). */
export function isSelectAllKey(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): boolean {
  return (
    (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'a'
  );
}

export function selectSingle(index: number, id: number | undefined): ListSelection {
  return { ids: new Set(id === undefined ? [] : [id]), isAll: false, focus: index, anchor: index };
}

/**
 * Ctrl-click: adds or removes one row, which becomes the anchor of the next shift-click. After
 * "select all" it leaves the row out (or takes it back in).
 */
export function toggleAt(selection: ListSelection, index: number, id: number | undefined): ListSelection {
  if (id === undefined) return { ...selection, focus: index, anchor: index };
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, isAll: selection.isAll, focus: index, anchor: index };
}

/** Ctrl+A: every message of the list; the focus stays where it is. */
export function selectAll(selection: ListSelection): ListSelection {
  return { ids: new Set(), isAll: true, focus: selection.focus, anchor: selection.anchor };
}

/** How many messages are selected in a list of `total`. */
export function selectedCount(selection: ListSelection, total: number): number {
  return selection.isAll ? Math.max(0, total - selection.ids.size) : selection.ids.size;
}

/** The rows a shift-selection to `index` covers: from the anchor (or `index` itself) to `index`. */
export function extensionRange(selection: ListSelection, index: number): { start: number; end: number } {
  const anchor = selection.anchor < 0 ? index : selection.anchor;
  return { start: Math.min(anchor, index), end: Math.max(anchor, index) + 1 };
}

/** Shift-click or Shift+arrow: exactly the rows between the anchor and `index` (`idsInRange`). */
export function extendTo(
  selection: ListSelection,
  index: number,
  idsInRange: readonly number[],
): ListSelection {
  const anchor = selection.anchor < 0 ? index : selection.anchor;
  return { ids: new Set(idsInRange), isAll: false, focus: index, anchor };
}

/** The selection with one more id (a row whose page arrived after it was selected by keyboard). */
export function withId(selection: ListSelection, id: number): ListSelection {
  if (selection.isAll || selection.ids.has(id)) return selection;
  return { ...selection, ids: new Set([...selection.ids, id]) };
}

/** Whether the message `id` is selected; a row still loading (undefined) is, under "select all". */
export function isSelected(selection: ListSelection, id: number | undefined): boolean {
  if (selection.isAll) return id === undefined || !selection.ids.has(id);
  return id !== undefined && selection.ids.has(id);
}

/** After the list changed: the focused row's new index, or the same index showing the next message. */
export function afterListChange(
  selection: ListSelection,
  focusedId: number | null,
  indexOfId: (id: number) => number,
  idAt: (index: number) => number | undefined,
  total: number,
): ListSelection {
  if (selection.focus < 0) return selection;
  const movedTo = focusedId === null ? -1 : indexOfId(focusedId);
  if (movedTo >= 0) {
    const shift = movedTo - selection.focus;
    return { ...selection, focus: movedTo, anchor: selection.anchor + shift };
  }
  // The focused message left the list (deleted, moved): the row now at its place takes over, so
  // "Delete" on one message after another walks down the list.
  if (total <= 0) return NO_SELECTION;
  const index = Math.min(selection.focus, total - 1);
  return selectSingle(index, idAt(index));
}
