/**
 * The widths of the folder pane and the message list (the reader takes the rest), kept within
 * bounds and remembered between runs. Pure: the layout state reads and writes the storage.
 */
export interface PaneSizes {
  readonly folders: number;
  readonly list: number;
}

export type PaneName = keyof PaneSizes;

export const DEFAULT_PANE_SIZES: PaneSizes = { folders: 230, list: 420 };
export const PANE_LIMITS: Readonly<Record<PaneName, { min: number; max: number }>> = {
  folders: { min: 150, max: 480 },
  list: { min: 260, max: 900 },
};
/** How far one arrow key press moves a separator. */
export const KEYBOARD_STEP_PX = 16;

export function clampPane(pane: PaneName, width: number): number {
  const { min, max } = PANE_LIMITS[pane];
  return Math.round(Math.min(max, Math.max(min, width)));
}

export function withPaneWidth(sizes: PaneSizes, pane: PaneName, width: number): PaneSizes {
  const clamped = clampPane(pane, width);
  return clamped === sizes[pane] ? sizes : { ...sizes, [pane]: clamped };
}

/** Stored text -> sizes; anything unreadable or out of bounds falls back or is clamped. */
export function parsePaneSizes(stored: string | null): PaneSizes {
  if (stored === null) return DEFAULT_PANE_SIZES;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return DEFAULT_PANE_SIZES;
  }
  if (typeof value !== 'object' || value === null) return DEFAULT_PANE_SIZES;
  const record = value as Record<string, unknown>;
  const width = (pane: PaneName): number => {
    const raw = record[pane];
    return typeof raw === 'number' && Number.isFinite(raw) ? clampPane(pane, raw) : DEFAULT_PANE_SIZES[pane];
  };
  return { folders: width('folders'), list: width('list') };
}

/** The separator's keys (WAI-ARIA window splitter): arrows step, Home/End go to the limits. */
export function widthAfterKey(pane: PaneName, width: number, key: string): number | null {
  switch (key) {
    case 'ArrowLeft':
      return clampPane(pane, width - KEYBOARD_STEP_PX);
    case 'ArrowRight':
      return clampPane(pane, width + KEYBOARD_STEP_PX);
    case 'Home':
      return PANE_LIMITS[pane].min;
    case 'End':
      return PANE_LIMITS[pane].max;
    default:
      return null;
  }
}
