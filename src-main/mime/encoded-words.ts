/**
 * RFC 2047 encoded-words in header text: "=?utf-8?Q?Caf=C3=A9?=" -> "Café". Adjacent words separated
 * only by white space are joined (RFC 2047 §6.2), and joined at the byte level when they share a
 * charset, because senders split multi-byte characters across words.
 */
import { decodeCharset } from './charset';

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
const ONLY_WHITESPACE = /^[ \t\r\n]*$/;

/** RFC 2047 §4.2: "_" is a space, "=XX" a byte. */
function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5f) bytes.push(0x20);
    else if (ch === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeWordBytes(encoding: string, text: string): Buffer {
  return encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQ(text);
}

export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flush = (): void => {
    if (pending) out += decodeCharset(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, charset = '', encoding = 'Q', text = ''] = match;
    const between = value.slice(last, match.index);
    const joinsPrevious = pending !== null && ONLY_WHITESPACE.test(between);
    if (!joinsPrevious) {
      flush();
      out += between;
    }
    const bytes = decodeWordBytes(encoding, text);
    const current = pending as { charset: string; bytes: Buffer[] } | null;
    if (current && current.charset.toLowerCase() === charset.toLowerCase()) current.bytes.push(bytes);
    else {
      flush();
      pending = { charset, bytes: [bytes] };
    }
    last = match.index + word.length;
  }
  flush();
  return out + value.slice(last);
}
