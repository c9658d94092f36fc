import { describe, expect, it } from 'vitest';
import { sortKey } from '../../../../src-main/store/message-rows';

/** The full Unicode fold that every input goes through when it is not plain ASCII. */
const fullFold = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^[\s"'<(]+/, '')
    .trim();

describe('sortKey', () => {
  it('folds accents, case and leading quotes and brackets', () => {
    expect(sortKey('Émile Zola')).toBe('emile zola');
    expect(sortKey('  "<(Ana')).toBe('ana');
    expect(sortKey('ﬁle')).toBe('file'); // NFKD compatibility ligature
    expect(sortKey('')).toBe('');
  });

  it('gives ASCII and non-ASCII text the same key as the full Unicode fold', () => {
    const samples = [
      'Hello World',
      '\t"Quoted" Subject\r\n',
      'Re: [list] Plans for 2026 <x@y>',
      "'Ana' (work)",
      'Ünïcödé Sübject',
      'Mixed ASCII and 日本語',
      '\u000bvertical tab',
      'e\u0301cole',
    ];
    for (const text of samples) expect(sortKey(text)).toBe(fullFold(text));
  });
});
