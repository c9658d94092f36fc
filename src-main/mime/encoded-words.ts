/**
 * RFC 2047 encoded-words in header text: "=?utf-8?Q?Caf=C3=A9?=" -> "Café". Adjacent words separated
 * only by white space are joined (RFC 2047 §6.2), and joined at the byte level when they share a
 * charset, because senders split multi-byte characters across words.
 */
import { decodeCharset } from './charset';

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
const ONLY_WHITESPACE = /^[ \t\r\n]*$/;

/** The value of a hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20; // only "A"-"F" and "a"-"f" land in "a"-"f"
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** RFC 2047 §4.2: "_" is a space, "=XX" a byte. */
function decodeQ(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5f) {
      bytes[length++] = 0x20;
      continue;
    }
    if (ch === 0x3d && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = high < 0 ? -1 : hexValue(text.charCodeAt(i + 2));
      if (low >= 0) {
        bytes[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    bytes[length++] = ch & 0xff;
  }
  return bytes.subarray(0, length);
}

function decodeWordBytes(encoding: string, text: string): Buffer {
  return encoding === 'B' || encoding === 'b' ? Buffer.from(text, 'base64') : decodeQ(text);
}

/** Words of one charset that follow each other, decoded together. */
function decodeRun(charset: string, bytes: Buffer[]): string {
  return decodeCharset(bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes), charset);
}

export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  // The run of words not yet decoded: their charset and bytes.
  let charset: string | null = null;
  let bytes: Buffer[] = [];
  ENCODED_WORD.lastIndex = 0;
  for (let match = ENCODED_WORD.exec(value); match !== null; match = ENCODED_WORD.exec(value)) {
    const [word, wordCharset = '', encoding = 'Q', text = ''] = match;
    const between = value.slice(last, match.index);
    const joinsPrevious = charset !== null && ONLY_WHITESPACE.test(between);
    if (!joinsPrevious) {
      if (charset !== null) out += decodeRun(charset, bytes);
      charset = null;
      out += between;
    }
    const wordBytes = decodeWordBytes(encoding, text);
    if (charset !== null && charset.toLowerCase() === wordCharset.toLowerCase()) {
      bytes.push(wordBytes);
    } else {
      if (charset !== null) out += decodeRun(charset, bytes);
      charset = wordCharset;
      bytes = [wordBytes];
    }
    last = match.index + word.length;
  }
  if (charset !== null) out += decodeRun(charset, bytes);
  return out + value.slice(last);
}
