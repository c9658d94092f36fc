import { describe, expect, it } from 'vitest';
import { en } from '../../../../src-renderer/src/i18n/en';
import { es } from '../../../../src-renderer/src/i18n/es';
import { pickLanguage, translatorFor } from '../../../../src-renderer/src/i18n';
import { createTranslator, fillPlaceholders } from '../../../../src-renderer/src/i18n/translate';

describe('the language', () => {
  it('is Spanish for any es* browser language and English otherwise', () => {
    expect(pickLanguage('es')).toBe('es');
    expect(pickLanguage('es-AR')).toBe('es');
    expect(pickLanguage('ES-es')).toBe('es');
    expect(pickLanguage('en-US')).toBe('en');
    expect(pickLanguage('de-DE')).toBe('en');
    expect(pickLanguage('')).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
  });
});

describe('lookup', () => {
  it('gives the accessible names the UI is driven by, in English', () => {
    const { t } = translatorFor('en');
    expect(t('folders.label')).toBe('Folders');
    expect(t('list.label')).toBe('Messages');
    expect(t('reader.label')).toBe('Message');
    expect(t('toolbar.addAccount')).toBe('Add account');
    expect(t('toolbar.importMessages')).toBe('Import messages');
    expect(t('list.empty.title')).toBe('No messages in this folder');
  });

  it('fills {name} placeholders and leaves unknown ones visible', () => {
    const { t } = translatorFor('es');
    expect(t('status.importFileFailed', { fileName: 'a.mbox', reason: 'roto' })).toBe(
      'No se pudo importar a.mbox: roto',
    );
    expect(fillPlaceholders('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });

  it('picks plural forms by count and formats the count for the language', () => {
    expect(translatorFor('en').tn('list.total', 1)).toBe('1 message');
    expect(translatorFor('en').tn('list.total', 100_000)).toBe('100,000 messages');
    expect(translatorFor('es').tn('list.total', 0)).toBe('0 mensajes');
    expect(translatorFor('es').tn('list.total', 1)).toBe('1 mensaje');
  });

  it('falls back to the "other" form when a language needs a form the catalogue lacks', () => {
    const { tn } = createTranslator<{ n: { other: string } }>('ar', { n: { other: '{count} x' } });
    expect(tn('n', 2)).toBe(`${(2).toLocaleString('ar')} x`);
  });

  it('has the same keys, with the same kinds of entries, in every catalogue', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(typeof es[key], key).toBe(typeof en[key]);
    }
  });

  it('uses the same placeholders in the translation as in the English text', () => {
    const placeholders = (text: unknown) =>
      [...JSON.stringify(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(new Set(placeholders(es[key])), key).toEqual(new Set(placeholders(en[key])));
    }
  });
});
