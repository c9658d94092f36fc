import { describe, expect, it } from 'vitest';
import {
  baseRange,
  displayIndexOf,
  displayTotal,
  locate,
  withExpansion,
  withoutExpansion,
  type ThreadExpansion,
} from '../../../../../src-renderer/src/lib/list/thread-expansions';

const open = (at: number, size: number): ThreadExpansion<string> => ({
  at,
  threadId: 1000 + at,
  members: Array.from({ length: size }, (_, i) => `t${at}m${i}`),
});

describe('threads opened inline', () => {
  // Threads 2 (3 messages) and 5 (2 messages) open: rows 0 1 2 [m m m] 3 4 5 [m m] 6 ...
  const expansions = withExpansion(withExpansion([], open(5, 2)), open(2, 3));

  it('shows each open thread’s messages right under its row', () => {
    expect(displayTotal(10, expansions)).toBe(15);
    expect(locate(2, expansions)).toEqual({ base: 2, member: -1 });
    expect(locate(3, expansions)).toEqual({ base: 2, member: 0 });
    expect(locate(5, expansions)).toEqual({ base: 2, member: 2 });
    expect(locate(6, expansions)).toEqual({ base: 3, member: -1 });
    expect(locate(8, expansions)).toEqual({ base: 5, member: -1 });
    expect(locate(9, expansions)).toEqual({ base: 5, member: 0 });
    expect(locate(11, expansions)).toEqual({ base: 6, member: -1 });
    expect(locate(14, expansions)).toEqual({ base: 9, member: -1 });
  });

  it('finds a thread row again after the rows above it opened', () => {
    expect([0, 2, 3, 5, 6, 9].map((base) => displayIndexOf(base, expansions))).toEqual([0, 2, 6, 8, 11, 14]);
  });

  it('fetches the base rows a visible window covers', () => {
    expect(baseRange({ start: 4, end: 12 }, expansions)).toEqual({ start: 2, end: 7 });
    expect(baseRange({ start: 0, end: 0 }, expansions)).toEqual({ start: 0, end: 0 });
  });

  it('closes a thread, and is the plain list with none open', () => {
    const one = withoutExpansion(expansions, 2);
    expect(displayTotal(10, one)).toBe(12);
    expect(locate(6, one)).toEqual({ base: 5, member: 0 });
    expect(withoutExpansion(one, 4)).toBe(one);
    expect(locate(7, [])).toEqual({ base: 7, member: -1 });
    expect(displayIndexOf(7, [])).toBe(7);
  });
});
