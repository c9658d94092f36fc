/**
 * Splits a search box text into tokens: parentheses, OR, and terms (a bare word, a "quoted phrase",
 * or `operator:value` where the value may be quoted). Never throws: an unclosed quote runs to the
 * end of the text and is reported.
 */

export type QueryToken =
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'or' }
  | {
      kind: 'term';
      /** Lower-cased operator name (`from`), or null for plain words and phrases. */
      operator: string | null;
      value: string;
      isQuoted: boolean;
      isNegated: boolean;
      /** The word ended with `*`: match words starting with it. */
      isPrefix: boolean;
    }
  /** A `-` in front of a parenthesis group. */
  | { kind: 'not-open' };

export interface LexResult {
  tokens: QueryToken[];
  hasUnclosedQuote: boolean;
}

/** An operator name is letters only, so "10:30" and "http://x" stay words. */
const OPERATOR = /^([A-Za-z]+):(.*)$/s;
const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/u.test(char);

export function lexQuery(text: string): LexResult {
  const tokens: QueryToken[] = [];
  let hasUnclosedQuote = false;
  let i = 0;

  /** Reads a quoted string starting at the opening quote; returns the text and the index after it. */
  const readQuoted = (start: number): { value: string; end: number } => {
    const close = text.indexOf('"', start + 1);
    if (close === -1) {
      hasUnclosedQuote = true;
      return { value: text.slice(start + 1), end: text.length };
    }
    return { value: text.slice(start + 1, close), end: close + 1 };
  };

  const readPrefixStar = (): boolean => {
    if (text[i] !== '*') return false;
    i += 1;
    return true;
  };

  while (i < text.length) {
    const char = text[i];
    if (isSpace(char)) {
      i += 1;
      continue;
    }
    if (char === '(') {
      tokens.push({ kind: 'open' });
      i += 1;
      continue;
    }
    if (char === ')') {
      tokens.push({ kind: 'close' });
      i += 1;
      continue;
    }
    let isNegated = false;
    if (char === '-' && i + 1 < text.length && !isSpace(text[i + 1]) && text[i + 1] !== '-') {
      isNegated = true;
      i += 1;
      if (text[i] === '(') {
        tokens.push({ kind: 'not-open' });
        i += 1;
        continue;
      }
    }
    if (text[i] === '"') {
      const quoted = readQuoted(i);
      i = quoted.end;
      const isPrefix = readPrefixStar();
      tokens.push({ kind: 'term', operator: null, value: quoted.value, isQuoted: true, isNegated, isPrefix });
      continue;
    }
    let end = i;
    while (end < text.length && !isSpace(text[end]) && text[end] !== '(' && text[end] !== ')') {
      if (text[end] === '"' && end > i && text[end - 1] === ':') break;
      end += 1;
    }
    const chunk = text.slice(i, end);
    i = end;
    if (chunk === 'OR' || chunk === '|') {
      tokens.push({ kind: 'or' });
      continue;
    }
    // "AND" is what a sequence of words means anyway.
    if (chunk === 'AND' || chunk === '&&') continue;
    const operator = OPERATOR.exec(chunk);
    if (operator) {
      let value = operator[2] ?? '';
      let isQuoted = false;
      let isPrefix = false;
      if (value === '' && text[i] === '"') {
        const quoted = readQuoted(i);
        value = quoted.value;
        i = quoted.end;
        isQuoted = true;
        isPrefix = readPrefixStar();
      } else if (value.endsWith('*')) {
        value = value.slice(0, -1);
        isPrefix = true;
      }
      tokens.push({
        kind: 'term',
        operator: (operator[1] ?? '').toLowerCase(),
        value,
        isQuoted,
        isNegated,
        isPrefix,
      });
      continue;
    }
    const isPrefix = chunk.length > 1 && chunk.endsWith('*');
    tokens.push({
      kind: 'term',
      operator: null,
      value: isPrefix ? chunk.slice(0, -1) : chunk,
      isQuoted: false,
      isNegated,
      isPrefix,
    });
  }
  return { tokens, hasUnclosedQuote };
}
