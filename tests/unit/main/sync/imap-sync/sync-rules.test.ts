// The IMAP engine's pure rules: which UIDs are missing here, how long to wait after failures, what
// counts as an attachment before the body is here, how a summary becomes a row, and the offline policy.
import { describe, expect, it } from 'vitest';
import { NO_FLAGS } from '../../../../../src-main/domain/flags';
import { asAccountId, asFolderId } from '../../../../../src-main/domain/ids';
import type { RemoteMessageHeader } from '../../../../../src-main/protocols/imap';
import { bodiesSince, offlinePolicyOf } from '../../../../../src-main/sync/imap-sync/account-connection';
import { missingRanges } from '../../../../../src-main/sync/imap-sync/folder-sync';
import { headerRow } from '../../../../../src-main/sync/imap-sync/header-rows';
import { DEFAULT_TIMING, retryDelay } from '../../../../../src-main/sync/imap-sync';

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

describe('headerRow', () => {
  const fields = (...lines: string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  const header: RemoteMessageHeader = {
    uid: 42,
    flags: { ...NO_FLAGS, seen: true, keywords: ['Important'] },
    size: 1234,
    internalDate: new Date('2026-01-02T03:04:05Z'),
    modseq: 7n,
    headerFields: fields(
      'Date: Thu, 01 Jan 2026 00:00:00 +0000',
      'Subject: Re: Plans',
      'From: Ana <ana@example.test>',
      'To: bo@example.test',
      'Message-ID: <b@example.test>',
      'In-Reply-To: <a@example.test>',
      'References: <root@example.test>',
      ' <a@example.test>',
      'Content-Type: multipart/mixed; boundary="b"',
    ),
  };
  const folder = { id: asFolderId(3), accountId: asAccountId(1) };

  it('keeps the server UID, flags and size, with no body file yet and ids without brackets', () => {
    const row = headerRow(header, folder, 0);
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

  it('falls back to the arrival time without a Date, and to now without either', () => {
    const noDate = { ...header, headerFields: fields('Subject: x') };
    expect(headerRow(noDate, folder, 99).date).toBe(Date.parse('2026-01-02T03:04:05Z'));
    expect(headerRow({ ...noDate, internalDate: null }, folder, 99).date).toBe(99);
  });

  it('decodes encoded words and 8-bit UTF-8, unfolds lines and skips unusable reference ids', () => {
    const row = headerRow(
      {
        ...header,
        headerFields: fields(
          'Subject: =?UTF-8?B?w5FhbmR1?= report',
          'From: José Ñandú <jose@example.test>',
          'To: Bo <bo@example.test>,',
          '\tCy <cy@example.test>',
          'Cc: undisclosed-recipients:;',
          'References: <> not an id <root@example.test>',
        ),
      },
      folder,
      0,
    );
    expect(row.subject).toBe('Ñandu report');
    expect(row.from).toEqual({ name: 'José Ñandú', address: 'jose@example.test' });
    expect(row.to).toEqual([
      { name: 'Bo', address: 'bo@example.test' },
      { name: 'Cy', address: 'cy@example.test' },
    ]);
    expect(row.cc).toEqual([]);
    expect(row.threadKey).toBe('id:root@example.test');
  });

  it('reads a summary with none of the fields as an empty message, never failing', () => {
    const row = headerRow({ ...header, headerFields: Buffer.alloc(0) }, folder, 0);
    expect(row).toMatchObject({ subject: '', from: null, to: [], cc: [], messageIdHeader: null });
    expect(row.hasAttachments).toBe(false);
    expect(row.threadKey).toBe('subject:');
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
