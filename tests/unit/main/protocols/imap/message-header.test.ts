import type { FetchMessageObject } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { toRemoteMessageHeader } from '../../../../../src-main/protocols/imap/message-header';

describe('toRemoteMessageHeader', () => {
  const headerFields = Buffer.from('Subject: Hola\r\nIn-Reply-To: <p@x>\r\n\r\n', 'latin1');
  const row: FetchMessageObject = {
    seq: 1,
    uid: 42,
    size: 1234,
    modseq: 7n,
    flags: new Set(['\\Seen', '\\Recent', '$Forwarded', 'Important']),
    internalDate: 'not a date',
    headers: headerFields,
  };

  it('maps a FETCH row to the adapter shape, dropping \\Recent and bad dates, header bytes untouched', () => {
    const header = toRemoteMessageHeader(row);
    expect(header).toMatchObject({
      uid: 42,
      size: 1234,
      modseq: 7n,
      internalDate: null,
      flags: { seen: true, forwarded: true, keywords: ['Important'] },
    });
    expect(header?.headerFields.equals(headerFields)).toBe(true);
  });

  it('gives empty header bytes when the server sent none of the fields', () => {
    expect(toRemoteMessageHeader({ ...row, headers: undefined })?.headerFields).toHaveLength(0);
  });

  it('skips rows that are not summaries (an unsolicited FETCH with flags only)', () => {
    expect(toRemoteMessageHeader({ seq: 1, uid: 3, flags: new Set(['\\Seen']) })).toBeNull();
    expect(toRemoteMessageHeader({ seq: 1, uid: 3, modseq: 9n, flags: new Set(['\\Seen']) })).toBeNull();
  });
});
