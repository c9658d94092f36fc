/**
 * The UI's language, chosen once at startup from the browser (Spanish for any `es*`, English
 * otherwise), and the `t`/`tn` every component uses. Catalogues: en.ts (source), es.ts.
 */
import { en, type EnglishCatalogue } from './en';
import { es } from './es';
import { createTranslator, type Params, type PluralKey, type TextKey, type Translator } from './translate';

export type Language = 'en' | 'es';
export type MessageKey = TextKey<EnglishCatalogue>;
export type PluralMessageKey = PluralKey<EnglishCatalogue>;

const catalogues = { en, es } as const;

export function pickLanguage(browserLanguage: string | undefined): Language {
  return browserLanguage?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function translatorFor(language: Language): Translator<EnglishCatalogue> {
  return createTranslator<EnglishCatalogue>(language, catalogues[language]);
}

let active = translatorFor('en');

/** Called once by main.ts before the UI mounts; the language does not change while running. */
export function setLanguage(language: Language): void {
  active = translatorFor(language);
}

export function currentLocale(): string {
  return active.locale;
}

export function t(key: MessageKey, params?: Params): string {
  return active.t(key, params);
}

export function tn(key: PluralMessageKey, count: number, params?: Params): string {
  return active.tn(key, count, params);
}
