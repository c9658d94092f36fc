import { describe, expect, it } from 'vitest';
import { findMatches } from '../../../../src-renderer/src/components/search/highlight-matches';

const marked = (text: string, terms: string[]): string[] =>
  findMatches(text, terms).map(([start, end]) => text.slice(start, end));

describe('findMatches', () => {
  it('marks words ignoring case and accents, as the index matched them', () => {
    expect(marked('La Canción favorita, canción', ['cancion'])).toEqual(['Canción', 'canción']);
    expect(marked('Zoë Müller wrote', ['muller', 'ZOE'])).toEqual(['Zoë', 'Müller']);
  });

  it('starts marks at word boundaries only', () => {
    expect(marked('report reports preport', ['report'])).toEqual(['report', 'report']);
  });

  it('marks phrases across any spacing or punctuation', () => {
    expect(marked('the weekly\r\n  status, report', ['weekly status report'])).toEqual([
      'weekly\r\n  status, report',
    ]);
  });

  it('merges overlapping marks and ignores empty terms', () => {
    expect(findMatches('budget review', ['budget review', 'review', '', '!!'])).toEqual([[0, 13]]);
  });

  it('marks Chinese, Japanese and Korean words inside longer runs, as the index finds them', () => {
    expect(marked('来週、東京都に行きます', ['東京'])).toEqual(['東京']);
    expect(marked('내일 서울에서 회의', ['서울'])).toEqual(['서울']);
    expect(marked('Tokyo東京 office', ['東京'])).toEqual(['東京']);
  });

  it('keeps offsets right around characters outside the basic plane', () => {
    expect(marked('🎉 café 🎉 CAFE', ['cafe'])).toEqual(['café', 'CAFE']);
  });
});
