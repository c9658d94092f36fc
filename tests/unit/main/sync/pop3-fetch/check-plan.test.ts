import { describe, expect, it } from 'vitest';
import { asMessageId } from '../../../../../src-main/domain/ids';
import type { Pop3UidlEntry, Pop3UidlState } from '../../../../../src-main/store/pop3-uidls-repo';
import { MS_PER_DAY } from '../../../../../src-main/sync/pop3-fetch/account-settings';
import {
  deletesRightAfterStoring,
  planCheck,
  type RetentionOptions,
  type ServerMessage,
} from '../../../../../src-main/sync/pop3-fetch/check-plan';

const NOW = Date.UTC(2026, 0, 31);
const MAX_WHOLE = 1_000_000;
const DOWNLOAD_AND_DELETE: RetentionOptions = {
  leaveOnServer: false,
  deleteAfterDays: null,
  deleteWhenDeletedHere: false,
  maxMessageKb: null,
};
const LEAVE: RetentionOptions = { ...DOWNLOAD_AND_DELETE, leaveOnServer: true };

function server(...uidls: string[]): ServerMessage[] {
  return uidls.map((uidl, index) => ({ number: index + 1, uidl, size: 1000 * (index + 1) }));
}

function ledger(...entries: Array<[string, Pop3UidlState, number?]>): Map<string, Pop3UidlEntry> {
  return new Map(
    entries.map(([uidl, state, firstSeenMs = NOW], index) => [
      uidl,
      { uidl, state, firstSeenMs, messageId: asMessageId(index + 1) },
    ]),
  );
}

describe('planCheck', () => {
  it('downloads every unique-id not stored here and deletes the stored ones (download and delete)', () => {
    const plan = planCheck({
      server: server('a', 'b', 'c'),
      ledger: ledger(['b', 'downloaded']),
      stored: new Set(),
      options: DOWNLOAD_AND_DELETE,
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.downloads.map((d) => d.uidl)).toEqual(['a', 'c']);
    expect(plan.deletions).toEqual([{ number: 2, uidl: 'b', size: 2000, reason: 'stored' }]);
    expect(plan.kept).toBe(0);
  });

  it('counts a stored message without a ledger entry as downloaded (never a second copy)', () => {
    const plan = planCheck({
      server: server('a', 'b'),
      ledger: new Map(),
      stored: new Set(['a']),
      options: DOWNLOAD_AND_DELETE,
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.downloads.map((d) => d.uidl)).toEqual(['b']);
    expect(plan.deletions.map((d) => d.uidl)).toEqual(['a']);
  });

  it('leaves stored messages on the server when asked, and does not download one deleted here', () => {
    const plan = planCheck({
      server: server('a', 'b', 'c'),
      ledger: ledger(['a', 'downloaded'], ['b', 'deleted_here']),
      stored: new Set(['a']),
      options: LEAVE,
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.downloads.map((d) => d.uidl)).toEqual(['c']);
    expect(plan.deletions).toEqual([]);
    expect(plan.kept).toBe(2);
  });

  it('deletes from the server N days after the message first arrived here', () => {
    const options = { ...LEAVE, deleteAfterDays: 7 };
    const plan = planCheck({
      server: server('old', 'exactly', 'young'),
      ledger: ledger(
        ['old', 'downloaded', NOW - 30 * MS_PER_DAY],
        ['exactly', 'downloaded', NOW - 7 * MS_PER_DAY],
        ['young', 'downloaded', NOW - 7 * MS_PER_DAY + 1],
      ),
      stored: new Set(),
      options,
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.deletions.map((d) => [d.uidl, d.reason])).toEqual([
      ['old', 'expired'],
      ['exactly', 'expired'],
    ]);
    expect(plan.kept).toBe(1);
  });

  it('deletes from the server what was deleted here only with that option', () => {
    const input = {
      server: server('a', 'b'),
      ledger: ledger(['a', 'deleted_here'], ['b', 'downloaded']),
      stored: new Set<string>(),
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    };
    expect(planCheck({ ...input, options: LEAVE }).deletions).toEqual([]);
    const plan = planCheck({ ...input, options: { ...LEAVE, deleteWhenDeletedHere: true } });
    expect(plan.deletions.map((d) => [d.uidl, d.reason])).toEqual([['a', 'deleted-here']]);
  });

  it('keeps a headers-only message on the server whatever the options, until it is whole here', () => {
    for (const options of [DOWNLOAD_AND_DELETE, { ...LEAVE, deleteAfterDays: 0 }]) {
      const plan = planCheck({
        server: server('big'),
        ledger: ledger(['big', 'headers_only', NOW - 400 * MS_PER_DAY]),
        stored: new Set(['big']),
        options,
        now: NOW,
        maxWholeMessageBytes: MAX_WHOLE,
      });
      expect(plan.deletions).toEqual([]);
      expect(plan.kept).toBe(1);
    }
  });

  it('asks for headers only above the size limit (strictly above)', () => {
    const plan = planCheck({
      server: [
        { number: 1, uidl: 'small', size: 2048 },
        { number: 2, uidl: 'big', size: 2049 },
      ],
      ledger: new Map(),
      stored: new Set(),
      options: { ...DOWNLOAD_AND_DELETE, maxMessageKb: 2 },
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.downloads.map((d) => [d.uidl, d.isHeadersOnly])).toEqual([
      ['small', false],
      ['big', true],
    ]);
  });

  it('asks for headers only when a message is larger than the client retrieves whole, whatever the options', () => {
    const plan = planCheck({
      server: [{ number: 1, uidl: 'huge', size: MAX_WHOLE + 1 }],
      ledger: new Map(),
      stored: new Set(),
      options: DOWNLOAD_AND_DELETE,
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.downloads.map((d) => d.isHeadersOnly)).toEqual([true]);
  });

  it('downloads a unique-id listed twice once, in message-number order', () => {
    const plan = planCheck({
      server: [
        { number: 3, uidl: 'x', size: 1 },
        { number: 1, uidl: 'x', size: 1 },
        { number: 2, uidl: 'y', size: 1 },
      ],
      ledger: new Map(),
      stored: new Set(),
      options: DOWNLOAD_AND_DELETE,
      now: NOW,
      maxWholeMessageBytes: MAX_WHOLE,
    });
    expect(plan.downloads.map((d) => d.number)).toEqual([1, 2]);
    expect(plan.duplicates).toBe(1);
  });
});

describe('deletesRightAfterStoring', () => {
  it('is true for download-and-delete and for "delete after 0 days"', () => {
    expect(deletesRightAfterStoring(DOWNLOAD_AND_DELETE)).toBe(true);
    expect(deletesRightAfterStoring(LEAVE)).toBe(false);
    expect(deletesRightAfterStoring({ ...LEAVE, deleteAfterDays: 0 })).toBe(true);
    expect(deletesRightAfterStoring({ ...LEAVE, deleteAfterDays: 1 })).toBe(false);
  });
});
