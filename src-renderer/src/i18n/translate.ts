/**
 * A tiny message catalogue lookup: keys to text with `{name}` placeholders, and plural forms chosen
 * by Intl.PluralRules, so no UI text is ever assembled by concatenation.
 */
export interface PluralForms {
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  /** Every language has this form; it is the fallback for the others. */
  readonly other: string;
}

export type CatalogueEntry = string | PluralForms;
export type Catalogue = Readonly<Record<string, CatalogueEntry>>;

/** A translation of `Source`: the same keys, each a string where the source has one, else plural forms. */
export type TranslationOf<Source extends Catalogue> = {
  readonly [K in keyof Source]: Source[K] extends string ? string : PluralForms;
};

export type TextKey<C extends Catalogue> = { [K in keyof C]: C[K] extends string ? K : never }[keyof C] &
  string;
export type PluralKey<C extends Catalogue> = {
  [K in keyof C]: C[K] extends string ? never : K;
}[keyof C] &
  string;

export type Params = Readonly<Record<string, string | number>>;

/** Replaces `{name}` with params.name; an unknown placeholder stays visible rather than vanishing. */
export function fillPlaceholders(template: string, params: Params = {}, locale?: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(locale) : value;
  });
}

export interface Translator<C extends Catalogue> {
  readonly locale: string;
  t(key: TextKey<C>, params?: Params): string;
  /** Picks the plural form for `count`; `{count}` is available in the text. */
  tn(key: PluralKey<C>, count: number, params?: Params): string;
}

export function createTranslator<C extends Catalogue>(
  locale: string,
  catalogue: TranslationOf<C>,
): Translator<C> {
  const plurals = new Intl.PluralRules(locale);
  const entries = catalogue as Catalogue;
  return {
    locale,
    t(key, params) {
      const entry = entries[key];
      return typeof entry === 'string' ? fillPlaceholders(entry, params, locale) : key;
    },
    tn(key, count, params) {
      const entry = entries[key];
      if (entry === undefined || typeof entry === 'string') return key;
      const form = plurals.select(count) as keyof PluralForms;
      return fillPlaceholders(entry[form] ?? entry.other, { ...params, count }, locale);
    },
  };
}
