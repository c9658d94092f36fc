import { describe, expect, it } from 'vitest';
import {
  ALL_INBOXES,
  folderSource,
  isSameSource,
  isSourceChanged,
  scopeOf,
} from '../../../../../src-renderer/src/lib/list/list-source';
import { combinedProgress } from '../../../../../src-renderer/src/lib/list/sync-progress';

describe('list sources', () => {
  it('tells folders and All Inboxes apart', () => {
    expect(isSameSource(folderSource(1), folderSource(1))).toBe(true);
    expect(isSameSource(folderSource(1), folderSource(2))).toBe(false);
    expect(isSameSource(ALL_INBOXES, { kind: 'allInboxes' })).toBe(true);
    expect(isSameSource(ALL_INBOXES, folderSource(1))).toBe(false);
    expect(isSameSource(null, null)).toBe(true);
    expect(isSameSource(null, ALL_INBOXES)).toBe(false);
    expect(scopeOf(folderSource(3))).toEqual({ folderId: 3 });
    expect(scopeOf(ALL_INBOXES)).toEqual({ allInboxes: true });
  });

  it('reloads All Inboxes when any Inbox changed, and a folder only for its own changes', () => {
    const inboxes = new Set([1, 7]);
    expect(isSourceChanged(ALL_INBOXES, [7], inboxes)).toBe(true);
    expect(isSourceChanged(ALL_INBOXES, [2, 3], inboxes)).toBe(false);
    expect(isSourceChanged(folderSource(2), [2], inboxes)).toBe(true);
    expect(isSourceChanged(folderSource(2), [1], inboxes)).toBe(false);
    expect(isSourceChanged(null, [1], inboxes)).toBe(false);
  });
});

describe('the status bar progress', () => {
  it('adds up every account running a check', () => {
    expect(combinedProgress([])).toBeNull();
    expect(
      combinedProgress([
        { accountId: 1, phase: 'download', done: 3, total: 10 },
        { accountId: 2, phase: 'download', done: 5, total: 5 },
      ]),
    ).toEqual({ done: 8, total: 15, accounts: 2 });
  });

  it('is indeterminate while any check does not know its size, and never exceeds its total', () => {
    expect(
      combinedProgress([
        { accountId: 1, phase: 'connect', done: 0, total: 0 },
        { accountId: 2, phase: 'download', done: 5, total: 5 },
      ]),
    ).toEqual({ done: 0, total: 0, accounts: 2 });
    expect(combinedProgress([{ accountId: 1, phase: 'x', done: 12, total: 10 }])).toEqual({
      done: 10,
      total: 10,
      accounts: 1,
    });
  });
});
