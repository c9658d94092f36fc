import { afterEach, describe, expect, it } from 'vitest';
import {
  currentLanguage,
  isLanguagePreference,
  resolveLanguage,
  setLanguage,
  t,
  tn,
} from '../../../../src-renderer/src/i18n';

afterEach(() => setLanguage('en'));

describe('choosing the language', () => {
  it('follows the OS language unless the user chose one in Settings', () => {
    expect(resolveLanguage('system', 'es-MX')).toBe('es');
    expect(resolveLanguage('system', 'fr-FR')).toBe('en');
    expect(resolveLanguage('system', undefined)).toBe('en');
    expect(resolveLanguage('en', 'es-ES')).toBe('en');
    expect(resolveLanguage('es', 'en-US')).toBe('es');
  });

  it('accepts only known saved preferences', () => {
    for (const value of ['system', 'en', 'es']) expect(isLanguagePreference(value)).toBe(true);
    for (const value of ['de', '', null, 3, 'EN']) expect(isLanguagePreference(value)).toBe(false);
  });

  it('switches every text at once while running', () => {
    expect(t('toolbar.getMail')).toBe('Get mail');
    setLanguage('es');
    expect(currentLanguage()).toBe('es');
    expect(t('toolbar.getMail')).toBe('Recibir correo');
    expect(tn('list.selected', 2)).toBe('2 seleccionados');
    setLanguage('en');
    expect(t('settings.language')).toBe('Language');
  });

  it('names the toolbar, dialogs and panes exactly as the issue says, in English', () => {
    const names = [
      ['toolbar.getMail', 'Get mail'],
      ['toolbar.compose', 'Compose'],
      ['toolbar.reply', 'Reply'],
      ['toolbar.replyAll', 'Reply all'],
      ['toolbar.forward', 'Forward'],
      ['toolbar.delete', 'Delete'],
      ['toolbar.markUnread', 'Mark as unread'],
      ['toolbar.moveTo', 'Move to…'],
      ['toolbar.archive', 'Archive'],
      ['settings.title', 'Settings'],
      ['settings.language', 'Language'],
      ['status.offline', 'Offline'],
      ['folders.allInboxes', 'All Inboxes'],
    ] as const;
    for (const [key, text] of names) expect(t(key)).toBe(text);
  });
});
