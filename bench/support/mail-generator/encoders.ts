/** The encodings real senders use: quoted-printable, base64, RFC 2047 words, RFC 2231 parameters. */
import type { Random } from './random';

export interface Person {
  name: string | null;
  addr: string;
}

export const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);
const latin1able = (s: string): boolean => /^[\x00-\xff]*$/.test(s);

export function b64wrap(buffer: Buffer): string {
  return buffer.toString('base64').replace(/.{76}/g, '$&\n').replace(/\n?$/, '\n');
}

/** RFC 2045 §6.7 quoted-printable of UTF-8 text, LF line ends. */
export function qpEncode(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const bytes = Buffer.from(line, 'utf8');
    let current = '';
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      const isPlain =
        (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && i < bytes.length - 1);
      const token = isPlain
        ? String.fromCharCode(byte)
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      if (current.length + token.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += token;
    }
    out.push(current);
  }
  return `${out.join('\n')}\n`;
}

function encodedWordsB(text: string, charset = 'UTF-8'): string[] {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?${charset}?B?${Buffer.from(word, 'utf8').toString('base64')}?=`);
}

function encodedWordsQ(text: string, charset = 'UTF-8'): string[] {
  const encoding = charset === 'UTF-8' ? 'utf8' : 'latin1';
  const words: string[] = [];
  let current = '';
  for (const ch of text) {
    let token = '';
    if (/^[A-Za-z0-9!*+\-/]$/.test(ch)) token = ch;
    else if (ch === ' ') token = '_';
    else
      for (const byte of Buffer.from(ch, encoding))
        token += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (current.length + token.length > 75 - 7 - charset.length - 5) {
      words.push(current);
      current = '';
    }
    current += token;
  }
  if (current) words.push(current);
  return words.map((word) => `=?${charset}?Q?${word}?=`);
}

/** Non-ASCII header text as RFC 2047 words: UTF-8 B or Q, some ISO-8859-1 Q, some mixed with plain text. */
export function encodeHeaderText(random: Random, text: string): string {
  if (isAscii(text)) return text;
  const roll = random.next();
  if (roll < 0.15 && latin1able(text)) return encodedWordsQ(text, 'ISO-8859-1').join('\n ');
  if (roll < 0.5) return encodedWordsQ(text).join('\n ');
  const mixed = /^([\x20-\x7e]*\s)(.*)$/s.exec(text);
  if (mixed && mixed[1]!.trim() && random.chance(0.5)) return mixed[1] + encodedWordsB(mixed[2]!).join('\n ');
  return encodedWordsB(text).join('\n ');
}

export function formatAddress(random: Random, person: Person): string {
  if (!person.name || random.chance(0.05)) return person.addr;
  if (isAscii(person.name)) {
    return /[,.;:()<>@"]/.test(person.name) || random.chance(0.5)
      ? `"${person.name}" <${person.addr}>`
      : `${person.name} <${person.addr}>`;
  }
  return `${encodeHeaderText(random, person.name)} <${person.addr}>`;
}

/** An address header folded at commas (RFC 5322 §2.2.3). */
export function foldAddressList(name: string, items: readonly string[]): string {
  let out = `${name}: `;
  let lineLength = out.length;
  items.forEach((item, i) => {
    const piece = item + (i < items.length - 1 ? ',' : '');
    if (i > 0 && lineLength + piece.length + 1 > 76) {
      out += '\n ';
      lineLength = 1;
    } else if (i > 0) {
      out += ' ';
      lineLength++;
    }
    out += piece;
    lineLength = piece.includes('\n') ? piece.length - piece.lastIndexOf('\n') : lineLength + piece.length;
  });
  return out;
}

/** RFC 2231 for non-ASCII names, or the RFC 2047 form many Outlook versions send. */
export function mimeParameter(random: Random, key: string, value: string): string {
  if (isAscii(value)) return `${key}="${value}"`;
  const percent = encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  if (random.chance(0.5)) return `${key}*=UTF-8''${percent}`;
  return `${key}="${encodedWordsB(value).join(' ')}"`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** RFC 5322 §3.3 dates, with a few obsolete forms (no day name, "(PST)" comments). */
export function rfcDate(random: Random, ms: number, zoneMinutes: number): string {
  const d = new Date(ms + zoneMinutes * 60000);
  const sign = zoneMinutes < 0 ? '-' : '+';
  const abs = Math.abs(zoneMinutes);
  const zone = `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const base = `${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time}`;
  const roll = random.next();
  if (roll < 0.01) return `${base} ${zoneMinutes === 0 ? 'GMT' : zone}`;
  if (roll < 0.02 && zoneMinutes === -480) return `${DAYS[d.getUTCDay()]}, ${base} -0800 (PST)`;
  return `${DAYS[d.getUTCDay()]}, ${base} ${zone}`;
}

/** The asctime() date of an mbox From_ line (RFC 4155). */
export function asctime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${time} ${d.getUTCFullYear()}`;
}
