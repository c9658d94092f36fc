import { describe, expect, it } from 'vitest';
import {
  ascendingBatches,
  countUids,
  descendingBatches,
  formatRanges,
  parseSequenceSet,
  rangesAbove,
  rangesFromUids,
  rangesInclude,
  sequenceSetChunks,
} from '../../../../../src-main/protocols/imap/uid-set';

describe('UID sets', () => {
  it('merges unsorted, duplicated UIDs into ranges and drops non-UIDs', () => {
    expect(rangesFromUids([5, 3, 4, 10, 1, 4, 0, -2, 1.5, 11])).toEqual([
      [1, 1],
      [3, 5],
      [10, 11],
    ]);
    expect(formatRanges(rangesFromUids([5, 3, 4, 10, 1]))).toBe('1,3:5,10');
  });

  it('parses ESEARCH / COPYUID sets, reversed ranges included, and refuses anything else', () => {
    expect(parseSequenceSet('1:3,7,12:10,4')).toEqual([
      [1, 4],
      [7, 7],
      [10, 12],
    ]);
    expect(parseSequenceSet('')).toEqual([]);
    for (const bad of ['1:*', 'a', '1,,2', '0', '1:2:3']) expect(() => parseSequenceSet(bad)).toThrow();
  });

  it('cuts batches from the highest UID down, every UID exactly once', () => {
    const ranges = rangesFromUids([1, 2, 3, 4, 5, 8, 9, 20]);
    const batches = [...descendingBatches(ranges, 3)].map(formatRanges);
    expect(batches).toEqual(['8:9,20', '3:5', '1:2']);
    expect(countUids(ranges)).toBe(8);
  });

  it('cuts ascending pages of a large range without expanding it', () => {
    const pages = [...ascendingBatches([[1, 2_500]], 1_000)].map(formatRanges);
    expect(pages).toEqual(['1:1000', '1001:2000', '2001:2500']);
    expect(() => [...ascendingBatches([[1, 2]], 0)]).toThrow(RangeError);
  });

  it('clips what "n:*" returns below n (RFC 3501: * is the highest UID)', () => {
    expect(rangesAbove([[1, 100]], 100)).toEqual([]);
    expect(rangesAbove([[1, 100]], 40)).toEqual([[41, 100]]);
  });

  it('splits long sets so no command line grows past the limit', () => {
    const odd = Array.from({ length: 3_000 }, (_, i) => i * 2 + 1);
    const chunks = sequenceSetChunks(odd, 1_000);
    expect(chunks.every((chunk) => chunk.length <= 1_000)).toBe(true);
    expect(chunks.flatMap((chunk) => chunk.split(',').map(Number))).toEqual(odd);
  });

  it('answers membership by binary search', () => {
    const ranges = rangesFromUids([1, 2, 3, 10, 50, 51]);
    expect([0, 1, 3, 4, 10, 49, 51, 52].map((uid) => rangesInclude(ranges, uid))).toEqual([
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});
