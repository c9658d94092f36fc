import { describe, expect, it } from 'vitest';
import { decodeCharset } from '../../../../src-main/mime/charset';
import { decodeEncodedWords } from '../../../../src-main/mime/encoded-words';
import { readHeaderBlock } from '../../../../src-main/mime/header-reader';
import { parseMailDate } from '../../../../src-main/mime/header-values';

describe('readHeaderBlock', () => {
  it('unfolds continuation lines and finds the body after the empty line (RFC 5322 §2.2.3)', () => {
    const block = readHeaderBlock(Buffer.from('Subject: a\r\n  folded\r\nTo: x@y\r\n\r\nbody'));
    expect(block.get('subject')).toBe('a  folded');
    expect(block.get('TO')).toBe('x@y');
    expect(block.bodyOffset).toBe(Buffer.byteLength('Subject: a\r\n  folded\r\nTo: x@y\r\n\r\n'));
  });

  it('starts the body at the first line that is not a header when the empty line is missing', () => {
    const raw = Buffer.from('From: a@b\nSubject: s\nplain text\n');
    const block = readHeaderBlock(raw);
    expect(block.get('subject')).toBe('s');
    expect(raw.subarray(block.bodyOffset).toString()).toBe('plain text\n');
  });

  it('reads raw UTF-8 header bytes (RFC 6532) and treats garbage as body', () => {
    expect(readHeaderBlock(Buffer.from('Subject: Grüße\n\n')).get('subject')).toBe('Grüße');
    expect(readHeaderBlock(Buffer.from([0, 1, 2, 255, 10, 10])).fields).toEqual([]);
  });
});

describe('RFC 2047 encoded words', () => {
  it('joins adjacent words, also when a character is split across them', () => {
    // "é" is C3 A9; the sender split it between two words.
    expect(decodeEncodedWords('=?UTF-8?Q?Caf=C3?= =?UTF-8?Q?=A9?= ok')).toBe('Café ok');
    expect(decodeEncodedWords('=?iso-8859-1?q?na=EFve?= text')).toBe('naïve text');
    expect(decodeEncodedWords('=?UTF-8?B?w5xiZXI=?=')).toBe('Über');
  });

  it('falls back for unknown charsets instead of throwing', () => {
    expect(decodeCharset(Buffer.from([0x43, 0x61, 0x66, 0xe9]), 'x-unknown')).toBe('Café');
    expect(decodeEncodedWords('=?x-unknown?Q?Hi?=')).toBe('Hi');
  });
});

describe('parseMailDate', () => {
  it('reads RFC 5322 dates, obsolete zones and comments, and refuses nonsense', () => {
    expect(parseMailDate('Tue, 02 Jan 2024 10:00:00 +0100')).toBe(Date.UTC(2024, 0, 2, 9));
    expect(parseMailDate('2 Jan 2024 10:00:00 GMT')).toBe(Date.UTC(2024, 0, 2, 10));
    expect(parseMailDate('Tue, 02 Jan 2024 10:00:00 -0800 (PST)')).toBe(Date.UTC(2024, 0, 2, 18));
    expect(parseMailDate('sometime last week')).toBeNull();
    expect(parseMailDate(undefined)).toBeNull();
  });
});
