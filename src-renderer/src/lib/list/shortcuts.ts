/**
 * The single-key shortcuts of the main window, as data: the help dialog ("?") lists exactly these,
 * and the window's key handler maps a key press to one of them.
 */
import type { MessageKey } from '../../i18n';

export type ShortcutCommand =
  | 'next'
  | 'previous'
  | 'open'
  | 'delete'
  | 'reply'
  | 'replyAll'
  | 'forward'
  | 'compose'
  | 'toggleUnread'
  | 'toggleFlag'
  | 'search'
  | 'help';

export interface Shortcut {
  readonly command: ShortcutCommand;
  /** Values of KeyboardEvent.key. */
  readonly keys: readonly string[];
  /** What the help dialog shows for the keys (key names are not translated, their meaning is). */
  readonly label: readonly string[];
  readonly description: MessageKey;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'next', keys: ['j', 'ArrowDown'], label: ['j', '↓'], description: 'keys.next' },
  { command: 'previous', keys: ['k', 'ArrowUp'], label: ['k', '↑'], description: 'keys.previous' },
  { command: 'open', keys: ['Enter'], label: ['Enter'], description: 'keys.open' },
  { command: 'delete', keys: ['Delete'], label: ['Delete'], description: 'keys.delete' },
  { command: 'reply', keys: ['r'], label: ['r'], description: 'keys.reply' },
  { command: 'replyAll', keys: ['a'], label: ['a'], description: 'keys.replyAll' },
  { command: 'forward', keys: ['f'], label: ['f'], description: 'keys.forward' },
  { command: 'compose', keys: ['c'], label: ['c'], description: 'keys.compose' },
  { command: 'toggleUnread', keys: ['u'], label: ['u'], description: 'keys.toggleUnread' },
  { command: 'toggleFlag', keys: ['s'], label: ['s'], description: 'keys.toggleFlag' },
  { command: 'search', keys: ['/'], label: ['/'], description: 'keys.search' },
  { command: 'help', keys: ['?'], label: ['?'], description: 'keys.help' },
];

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

/** Where a key press happened, as far as shortcuts care. */
export interface KeyTarget {
  /** A text field, select or editable element: its keys are typing, not commands. */
  readonly isEditable: boolean;
  /** Inside an open dialog: the dialog owns the keyboard. */
  readonly isInDialog: boolean;
}

/** The command for a key press, or null when the key is not a shortcut here. */
export function shortcutFor(press: KeyPress, target: KeyTarget): ShortcutCommand | null {
  if (target.isEditable || target.isInDialog) return null;
  // Ctrl/Cmd/Alt combinations belong to the browser and the OS (copy, find, menus).
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  return SHORTCUTS.find((shortcut) => shortcut.keys.includes(press.key))?.command ?? null;
}

/** Classifies an event target for shortcutFor. */
export function keyTargetOf(target: EventTarget | null): KeyTarget {
  if (!(target instanceof Element)) return { isEditable: false, isInDialog: false };
  const isEditable =
    target.matches('input, textarea, select, [contenteditable=""], [contenteditable="true"]') ||
    target.closest('[contenteditable="true"]') !== null;
  return { isEditable, isInDialog: target.closest('dialog[open], [role="dialog"]') !== null };
}
