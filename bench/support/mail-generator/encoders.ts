/** The encodings real senders use: quoted-printable, base64, RFC 2047 words, RFC 2231 parameters. */
import {
  encWordB as encodedWordsB,
  encWordQ as encodedWordsQ,
  isAscii,
  latin1able,
} from '../../../scripts/mailserver/generated-mail-parts.mjs';
import type { Random } from './random';

// The random-free encoders are shared with the test mailbox seeder (scripts/mailserver/seed.mjs).
export {
  b64wrap,
  foldList as foldAddressList,
  isAscii,
  qpEncode,
} from '../../../scripts/mailserver/generated-mail-parts.mjs';

export interface Person {
  name: string | null;
  addr: string;
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
