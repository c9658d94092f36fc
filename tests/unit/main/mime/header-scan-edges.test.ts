/**
 * Edge cases of the byte-level header scan, RFC 2047 Q decoding and parameter splitting, whose
 * results must not depend on how they are computed (they feed the POP3 list fields, parseForIndex
 * and the reader alike).
 */
import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from '../../../../src-main/mime/encoded-words';
import { readHeaderBlock } from '../../../../src-main/mime/header-reader';
import { parseStructuredValue } from '../../../../src-main/mime/mime-params';

const block = (text: string, maxBytes?: number) => readHeaderBlock(Buffer.from(text, 'latin1'), maxBytes);

describe('readHeaderBlock line scan', () => {
  it('accepts white space between a field name and its colon, and ends at a line holding only CR', () => {
    const read = block('Subject \t: a\r\nTo: x@y\r\n\r\nbody');
    expect(read.fields).toEqual([
      { name: 'subject', value: 'a' },
      { name: 'to', value: 'x@y' },
    ]);
    expect(read.bodyOffset).toBe('Subject \t: a\r\nTo: x@y\r\n\r\n'.length);
    expect(read.isTruncated).toBe(false);
  });

  it('starts the body at a line whose name holds a space, a control byte or 8-bit byte, or has no colon', () => {
    for (const bad of ['X Y: b', 'X\tY: b', 'X\u0001Y: b', 'X\u00e9: b', ': b', 'no colon']) {
      const text = `Subject: a\r\n${bad}\r\n\r\n`;
      const read = block(text);
      expect(read.fields, bad).toEqual([{ name: 'subject', value: 'a' }]);
      expect(read.bodyOffset, bad).toBe('Subject: a\r\n'.length);
      expect(read.isTruncated, bad).toBe(true);
    }
  });

  it('keeps a CR inside a line, drops the CR before each LF, and unfolds bare-LF continuations', () => {
    const read = block('A: x\ry\r\n\tz\nB: w\r\r\n\n');
    expect(read.fields).toEqual([
      { name: 'a', value: 'x\ry\tz' },
      { name: 'b', value: 'w' }, // "w\r": the trailing CR goes with the outer white space
    ]);
  });

  it('treats a header without a blank line or final line end as all header, truncated', () => {
    const read = block('Subject: a\r\nTo: b');
    expect(read.fields.map((field) => field.value)).toEqual(['a', 'b']);
    expect(read.bodyOffset).toBe('Subject: a\r\nTo: b'.length);
    expect(read.isTruncated).toBe(true);
  });

  it('stops at the byte limit only at the start of a line', () => {
    const text = 'Subject: a long line\r\nTo: b\r\n\r\n';
    const read = block(text, 5);
    expect(read.fields).toEqual([{ name: 'subject', value: 'a long line' }]);
    expect(read.bodyOffset).toBe('Subject: a long line\r\n'.length);
    expect(read.isTruncated).toBe(true);
  });
});

describe('RFC 2047 Q words', () => {
  it('reads "_" as a space, upper- and lower-case hex, and keeps "=" that starts no escape', () => {
    expect(decodeEncodedWords('=?utf-8?q?a_b=c3=A9?=')).toBe('a bé');
    expect(decodeEncodedWords('=?iso-8859-1?Q?=G1=4?=')).toBe('=G1=4');
    expect(decodeEncodedWords('=?iso-8859-1?Q?x=?=')).toBe('x=');
  });

  it('joins words of one charset across white space and keeps other text as it is', () => {
    expect(decodeEncodedWords('Re: =?UTF-8?Q?Caf=C3?=\r\n =?utf-8?B?qQ==?= ok =?ISO-8859-1?Q?=E9?=')).toBe(
      'Re: Café ok é',
    );
  });
});

describe('parseStructuredValue parameter split', () => {
  it('splits at ";" outside quotes only and keeps the character after a backslash in quotes', () => {
    const value = parseStructuredValue('attachment; filename="a\\"b;c\\\\.txt"; size=3;;x');
    expect(value.value).toBe('attachment');
    expect(value.params.get('filename')).toBe('a"b;c\\.txt');
    expect(value.params.get('size')).toBe('3');
  });

  it('keeps a backslash outside quotes and a final lone backslash', () => {
    expect(parseStructuredValue('text/plain; name=a\\b').params.get('name')).toBe('a\\b');
    expect(parseStructuredValue('text/plain; name="ab\\').params.get('name')).toBe('"ab\\');
  });
});
