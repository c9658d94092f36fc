import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PANE_SIZES,
  KEYBOARD_STEP_PX,
  PANE_LIMITS,
  parsePaneSizes,
  widthAfterKey,
  withPaneWidth,
} from '../../../../../src-renderer/src/lib/list/pane-sizes';

describe('pane sizes', () => {
  it('reads what was saved and falls back to the defaults for anything unreadable', () => {
    expect(parsePaneSizes(JSON.stringify({ folders: 300, list: 500 }))).toEqual({ folders: 300, list: 500 });
    expect(parsePaneSizes(null)).toEqual(DEFAULT_PANE_SIZES);
    expect(parsePaneSizes('{not json')).toEqual(DEFAULT_PANE_SIZES);
    expect(parsePaneSizes('42')).toEqual(DEFAULT_PANE_SIZES);
    expect(parsePaneSizes(JSON.stringify({ folders: 'wide', list: null }))).toEqual(DEFAULT_PANE_SIZES);
  });

  it('keeps saved and dragged widths within the limits', () => {
    expect(parsePaneSizes(JSON.stringify({ folders: 5, list: 1e9 }))).toEqual({
      folders: PANE_LIMITS.folders.min,
      list: PANE_LIMITS.list.max,
    });
    expect(withPaneWidth(DEFAULT_PANE_SIZES, 'list', 10).list).toBe(PANE_LIMITS.list.min);
    expect(withPaneWidth(DEFAULT_PANE_SIZES, 'folders', 301.6).folders).toBe(302);
    expect(withPaneWidth(DEFAULT_PANE_SIZES, 'folders', DEFAULT_PANE_SIZES.folders)).toBe(DEFAULT_PANE_SIZES);
  });

  it('moves a separator by keyboard: arrows step, Home and End go to the limits', () => {
    expect(widthAfterKey('folders', 230, 'ArrowRight')).toBe(230 + KEYBOARD_STEP_PX);
    expect(widthAfterKey('folders', 230, 'ArrowLeft')).toBe(230 - KEYBOARD_STEP_PX);
    expect(widthAfterKey('list', 400, 'Home')).toBe(PANE_LIMITS.list.min);
    expect(widthAfterKey('list', 400, 'End')).toBe(PANE_LIMITS.list.max);
    expect(widthAfterKey('list', PANE_LIMITS.list.max, 'ArrowRight')).toBe(PANE_LIMITS.list.max);
    expect(widthAfterKey('list', 400, 'a')).toBeNull();
  });
});
