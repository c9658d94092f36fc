import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor } from '../../../../../src-renderer/src/lib/list/shortcuts';
import { translatorFor } from '../../../../../src-renderer/src/i18n';

const plain = { ctrlKey: false, metaKey: false, altKey: false };
const free = { isEditable: false, isInDialog: false };

describe('keyboard shortcuts', () => {
  it('maps each documented key to its command', () => {
    const expected: Record<string, string> = {
      j: 'next',
      ArrowDown: 'next',
      k: 'previous',
      ArrowUp: 'previous',
      Enter: 'open',
      Delete: 'delete',
      r: 'reply',
      a: 'replyAll',
      f: 'forward',
      c: 'compose',
      u: 'toggleUnread',
      s: 'toggleFlag',
      '/': 'search',
      '?': 'help',
    };
    for (const [key, command] of Object.entries(expected)) {
      expect(shortcutFor({ key, ...plain }, free)).toBe(command);
    }
    expect(shortcutFor({ key: 'x', ...plain }, free)).toBeNull();
  });

  it('leaves keys alone while typing, in a dialog, or with Ctrl/Cmd/Alt', () => {
    expect(shortcutFor({ key: 'r', ...plain }, { isEditable: true, isInDialog: false })).toBeNull();
    expect(shortcutFor({ key: 'r', ...plain }, { isEditable: false, isInDialog: true })).toBeNull();
    expect(shortcutFor({ key: 'r', ...plain, ctrlKey: true }, free)).toBeNull();
    expect(shortcutFor({ key: 'c', ...plain, metaKey: true }, free)).toBeNull();
    expect(shortcutFor({ key: 'f', ...plain, altKey: true }, free)).toBeNull();
  });

  it('describes every shortcut in English and Spanish for the help dialog', () => {
    for (const language of ['en', 'es'] as const) {
      const { t } = translatorFor(language);
      for (const shortcut of SHORTCUTS) {
        expect(t(shortcut.description)).not.toBe(shortcut.description);
      }
    }
    expect(new Set(SHORTCUTS.map((s) => s.command)).size).toBe(SHORTCUTS.length);
  });
});
