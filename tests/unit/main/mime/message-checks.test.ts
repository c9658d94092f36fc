import { describe, expect, it } from 'vitest';
import { hasUndecodableText, isMultipartUnclosed } from '../../../../src-main/mime/message-checks';

const mail = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1');

describe('isMultipartUnclosed', () => {
  it('finds a multipart that ends before its close-delimiter (a cut-off message)', () => {
    const raw = mail(
      'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\ntext\n',
    );
    expect(isMultipartUnclosed(raw)).toBe(true);
  });

  it('accepts a closed multipart, a single part, and leaves a missing boundary to the parser', () => {
    expect(isMultipartUnclosed(mail('Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n'))).toBe(
      false,
    );
    expect(isMultipartUnclosed(mail('Content-Type: text/plain\n\n--b\n'))).toBe(false);
    expect(isMultipartUnclosed(mail('Content-Type: multipart/mixed\n\n--b\n'))).toBe(false);
    expect(isMultipartUnclosed(mail('Content-Type: multipart/mixed; boundary=b\n\nno delimiter\n'))).toBe(
      false,
    );
  });
});

describe('hasUndecodableText', () => {
  it('spots the replacement character a failed charset conversion leaves behind', () => {
    expect(hasUndecodableText('fine', 'caf\uFFFD')).toBe(true);
    expect(hasUndecodableText('café', 'naïve')).toBe(false);
  });
});
