import { describe, expect, it } from 'vitest';
import {
  idSet,
  mapFrom,
  uniqueIds,
  withEntry,
  withoutKey,
} from '../../../../../src-renderer/src/lib/list/id-collections';

describe('immutable collection steps', () => {
  it('never changes the map it is given', () => {
    const before = mapFrom([[1, 'a'] as const]);
    const added = withEntry(before, 2, 'b');
    expect([...before.keys()]).toEqual([1]);
    expect([...added.keys()]).toEqual([1, 2]);
    const removed = withoutKey(added, 1);
    expect([...added.keys()]).toEqual([1, 2]);
    expect([...removed.keys()]).toEqual([2]);
    expect(withoutKey(removed, 9)).toBe(removed);
  });

  it('keeps each id once, in first-seen order', () => {
    expect(uniqueIds([3, 1, 3, 2, 1])).toEqual([3, 1, 2]);
    expect([...idSet([5, 5, 6])]).toEqual([5, 6]);
  });
});
