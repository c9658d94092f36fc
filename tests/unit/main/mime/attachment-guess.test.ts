// The paperclip an IMAP row shows before its body is here, from the top-level header fields only,
// checked against what the parse of the whole message finds (parseForIndex) for the same mail.
import { describe, expect, it } from 'vitest';
import { guessHasAttachments } from '../../../../src-main/mime/attachment-guess';
import { readHeaderBlock } from '../../../../src-main/mime/header-reader';
import { parseForIndex } from '../../../../src-main/mime/parse-for-index';

const message = (headers: string[], body = 'Hello\r\n'): Buffer =>
  Buffer.from(`Subject: t\r\n${headers.join('\r\n')}\r\n\r\n${body}`, 'utf8');

const guess = (raw: Buffer): boolean => guessHasAttachments(readHeaderBlock(raw));

const pdfPart = [
  '--b',
  'Content-Type: application/pdf; name="a.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0=',
].join('\r\n');

describe('guessHasAttachments', () => {
  it('agrees with the full parse on the common shapes', () => {
    const cases: Array<[string, Buffer, boolean]> = [
      ['plain text, no Content-Type (RFC 2045 §5.2 default)', message([]), false],
      ['text/html', message(['Content-Type: text/html; charset=utf-8'], '<p>Hi</p>'), false],
      [
        'multipart/alternative',
        message(
          ['Content-Type: multipart/alternative; boundary="b"'],
          '--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n--b--\r\n',
        ),
        false,
      ],
      [
        'multipart/mixed with a PDF',
        message(
          ['Content-Type: multipart/mixed; boundary="b"'],
          `--b\r\nContent-Type: text/plain\r\n\r\nSee attached\r\n${pdfPart}\r\n--b--\r\n`,
        ),
        true,
      ],
      ['a single PDF part', message(['Content-Type: application/pdf; name="a.pdf"'], 'JVBERi0='), true],
      [
        'text sent as an attachment',
        message(['Content-Type: text/plain', 'Content-Disposition: attachment; filename="notes.txt"']),
        true,
      ],
      [
        'an inline image on its own',
        message(['Content-Type: image/png', 'Content-Disposition: inline'], 'iVBORw0KGgo='),
        false,
      ],
    ];
    for (const [name, raw, expected] of cases) {
      expect(guess(raw), name).toBe(expected);
      expect(parseForIndex(raw).hasAttachments, name).toBe(expected);
    }
  });

  it('errs toward the paperclip where only the body can tell, which the parse then corrects', () => {
    const footerOnly = message(
      ['Content-Type: multipart/mixed; boundary="b"'],
      '--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b\r\nContent-Type: text/plain\r\n\r\n-- list footer\r\n--b--\r\n',
    );
    expect(guess(footerOnly)).toBe(true);
    expect(parseForIndex(footerOnly).hasAttachments).toBe(false);
  });

  it('reads Content-Type case-insensitively, and never throws on damaged fields', () => {
    expect(guess(message(['CONTENT-TYPE: Multipart/Mixed; boundary=x']))).toBe(true);
    expect(guess(message(['Content-Type: ;;;', 'Content-Disposition: "']))).toBe(true);
    expect(guess(Buffer.alloc(0))).toBe(false);
  });
});
