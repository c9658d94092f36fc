// The IMAP engine's pure rules: which UIDs are missing here, how long to wait after failures, what
// counts as an attachment in a BODYSTRUCTURE, how a summary becomes a row, and the offline policy.
import { describe, expect, it } from 'vitest';
import { NO_FLAGS } from '../../../../../src-main/domain/flags';
import { asAccountId, asFolderId } from '../../../../../src-main/domain/ids';
import type { RemoteBodyPart, RemoteMessageHeader } from '../../../../../src-main/protocols/imap';
import { bodiesSince, offlinePolicyOf } from '../../../../../src-main/sync/imap-sync/account-connection';
import { missingRanges } from '../../../../../src-main/sync/imap-sync/folder-sync';
import { hasAttachmentPart, headerRow } from '../../../../../src-main/sync/imap-sync/header-rows';
import { DEFAULT_TIMING, retryDelay } from '../../../../../src-main/sync/imap-sync';

const part = (over: Partial<RemoteBodyPart>): RemoteBodyPart => ({
  part: '1',
  type: 'text/plain',
  parameters: {},
  disposition: null,
  dispositionParameters: {},
  contentId: null,
  encoding: '7bit',
  size: 10,
  children: [],
  ...over,
});

describe('missingRanges', () => {
  it('lists the server UIDs not stored, as merged ranges', () => {
    expect(missingRanges([[1, 10]], [1, 2, 3, 7])).toEqual([
      [4, 6],
      [8, 10],
    ]);
    expect(
      missingRanges(
        [
          [1, 3],
          [5, 5],
        ],
        [],
      ),
    ).toEqual([
      [1, 3],
      [5, 5],
    ]);
    expect(missingRanges([[1, 3]], [1, 2, 3, 9])).toEqual([]);
    expect(missingRanges([], [1, 2])).toEqual([]);
  });
});

describe('retryDelay', () => {
  it('doubles from the first delay and stops at the longest', () => {
    const timing = { ...DEFAULT_TIMING, retryInitialMs: 1_000, retryMaxMs: 5_000 };
    expect([1, 2, 3, 4, 10].map((failures) => retryDelay(timing, failures))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });
});

describe('hasAttachmentPart', () => {
  it('sees disposition attachment and named non-text leaves, not inline text or plain bodies', () => {
    expect(hasAttachmentPart(null)).toBe(false);
    expect(hasAttachmentPart(part({}))).toBe(false);
    expect(hasAttachmentPart(part({ disposition: 'attachment' }))).toBe(true);
    expect(hasAttachmentPart(part({ type: 'application/pdf', parameters: { name: 'a.pdf' } }))).toBe(true);
    expect(
      hasAttachmentPart(part({ type: 'image/png', disposition: 'inline', parameters: { name: 'logo.png' } })),
    ).toBe(false);
    const mixed = part({
      type: 'multipart/mixed',
      children: [part({}), part({ type: 'application/zip', dispositionParameters: { filename: 'x.zip' } })],
    });
    expect(hasAttachmentPart(mixed)).toBe(true);
  });
});

describe('headerRow', () => {
  const header: RemoteMessageHeader = {
    uid: 42,
    flags: { ...NO_FLAGS, seen: true, keywords: ['Important'] },
    size: 1234,
    internalDate: new Date('2026-01-02T03:04:05Z'),
    modseq: 7n,
    envelope: {
      date: new Date('2026-01-01T00:00:00Z'),
      subject: 'Re: Plans',
      messageId: '<b@example.test>',
      inReplyTo: '<a@example.test>',
      from: [{ name: 'Ana', address: 'ana@example.test' }],
      sender: [],
      replyTo: [],
      to: [{ name: null, address: 'bo@example.test' }],
      cc: [],
      bcc: [],
    },
    references: ['<root@example.test>', '<a@example.test>'],
    listId: null,
    bodyStructure: part({ disposition: 'attachment' }),
  };

  it('keeps the server UID, flags and size, with no body file yet and ids without brackets', () => {
    const row = headerRow(header, { id: asFolderId(3), accountId: asAccountId(1) }, 0);
    expect(row).toMatchObject({
      folderId: 3,
      accountId: 1,
      imapUid: 42,
      size: 1234,
      emlPath: '',
      messageIdHeader: 'b@example.test',
      threadKey: 'id:root@example.test',
      subject: 'Re: Plans',
      from: { name: 'Ana', address: 'ana@example.test' },
      to: [{ name: '', address: 'bo@example.test' }],
      date: Date.parse('2026-01-01T00:00:00Z'),
      receivedAt: Date.parse('2026-01-02T03:04:05Z'),
      hasAttachments: true,
    });
    expect(row.flags).toEqual(header.flags);
  });

  it('falls back to the arrival time without a Date', () => {
    const row = headerRow(
      { ...header, internalDate: null, envelope: { ...header.envelope, date: null } },
      { id: asFolderId(3), accountId: asAccountId(1) },
      99,
    );
    expect(row.date).toBe(99);
  });

  it('takes the first usable sender and drops empty addresses and unusable reference ids', () => {
    const row = headerRow(
      {
        ...header,
        envelope: {
          ...header.envelope,
          from: [
            { name: null, address: null },
            { name: 'Group', address: null },
            { name: 'Ana', address: 'ana@example.test' },
          ],
          to: [
            { name: null, address: null },
            { name: 'Bo', address: 'bo@example.test' },
          ],
          cc: [{ name: null, address: null }],
        },
        references: ['<>', 'not an id', '<root@example.test>'],
      },
      { id: asFolderId(3), accountId: asAccountId(1) },
      0,
    );
    expect(row.from).toEqual({ name: 'Group', address: '' });
    expect(row.to).toEqual([{ name: 'Bo', address: 'bo@example.test' }]);
    expect(row.cc).toEqual([]);
    expect(row.threadKey).toBe('id:root@example.test');
  });
});

describe('offline policy', () => {
  it('defaults to every body, and "last N days" to 30 when no number was saved', () => {
    expect(offlinePolicyOf(undefined)).toEqual({ kind: 'all' });
    expect(offlinePolicyOf({ offline: 'headers', days: null })).toEqual({ kind: 'headers' });
    expect(offlinePolicyOf({ offline: 'days', days: null })).toEqual({ kind: 'days', days: 30 });
    expect(bodiesSince({ kind: 'days', days: 2 }, 3 * 86_400_000)).toBe(86_400_000);
    expect(bodiesSince({ kind: 'all' }, 5)).toBeNull();
  });
});
