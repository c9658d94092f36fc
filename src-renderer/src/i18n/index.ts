/**
 * The UI's language and the `t`/`tn` every component uses. The language starts from the saved
 * choice ("Settings" > "Language") or else the OS/browser language (Spanish for any `es*`, English
 * otherwise), and can change while running: the shell re-renders itself under a `{#key}` on the
 * language (AppShell.svelte), so `t` stays a plain lookup; the message list calls it hundreds of
 * times per second while scrolling and must not pay for reactivity on every text.
 * Catalogues: en.ts (source), es.ts.
 */
import { en, type EnglishCatalogue } from './en';
import { es } from './es';
import { createTranslator, type Params, type PluralKey, type TextKey, type Translator } from './translate';

export type Language = 'en' | 'es';
/** What the user chose in Settings: a language, or `system` to follow the OS. */
export type LanguagePreference = Language | 'system';
export type MessageKey = TextKey<EnglishCatalogue>;
export type PluralMessageKey = PluralKey<EnglishCatalogue>;

export const LANGUAGES: readonly Language[] = ['en', 'es'];
const catalogues = { en, es } as const;
/** localStorage key of the saved LanguagePreference. */
export const LANGUAGE_STORAGE_KEY = 'estafeta.language';

export function pickLanguage(browserLanguage: string | undefined): Language {
  return browserLanguage?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function isLanguagePreference(value: unknown): value is LanguagePreference {
  return value === 'system' || value === 'en' || value === 'es';
}

/** The language shown for a preference: the chosen one, or the OS language's. */
export function resolveLanguage(
  preference: LanguagePreference,
  browserLanguage: string | undefined,
): Language {
  return preference === 'system' ? pickLanguage(browserLanguage) : preference;
}

export function translatorFor(language: Language): Translator<EnglishCatalogue> {
  return createTranslator<EnglishCatalogue>(language, catalogues[language]);
}

let active = translatorFor('en');
let activeLanguage: Language = 'en';

export function setLanguage(language: Language): void {
  if (language === activeLanguage) return;
  active = translatorFor(language);
  activeLanguage = language;
}

export function currentLanguage(): Language {
  return activeLanguage;
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
