/**
 * The address lists nearly all mail carries, read without the general parser: every entry is
 * `addr@domain`, `<addr@domain>`, `Display Name <addr@domain>` or `"Display Name" <addr@domain>`,
 * separated by commas. nodemailer's addressparser handles every oddity of RFC 5322 (groups,
 * comments, quoted local parts, name fragments split by a comma) and costs some 100 µs per header;
 * this reader accepts only the plain shapes, on which it gives exactly what addressparser gives
 * (tests/unit/main/mime/simple-address-list.test.ts compares the two), and returns null for
 * anything else so that the caller falls back to addressparser.
 */

export interface RawAddress {
  /** Not RFC 2047-decoded. */
  name: string;
  address: string;
}

/** Character classes of the ASCII range; anything else (controls, 8-bit) is not a plain shape. */
const OTHER = 0;
/** RFC 5322 §3.2.3 atext, and "." (dot-atom, and the "Jr." of a display name). */
const ATEXT = 1;
const SPACE = 2;

const CLASSES = new Uint8Array(128);
for (let code = 0x30; code <= 0x39; code++) CLASSES[code] = ATEXT;
for (let code = 0x41; code <= 0x5a; code++) CLASSES[code] = ATEXT;
for (let code = 0x61; code <= 0x7a; code++) CLASSES[code] = ATEXT;
for (const char of "!#$%&'*+-/=?^_`{|}~.") CLASSES[char.charCodeAt(0)] = ATEXT;
CLASSES[0x20] = SPACE;
CLASSES[0x09] = SPACE;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LESS = 0x3c;
const AT = 0x40;
const BACKSLASH = 0x5c;

function classOf(code: number): number {
  return code < 128 ? CLASSES[code]! : OTHER;
}

function skipSpace(value: string, at: number): number {
  while (at < value.length && classOf(value.charCodeAt(at)) === SPACE) at++;
  return at;
}

/** Letters, digits and "-" and "." only: the domains of real mail, without literals or comments. */
function isPlainDomainCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e
  );
}

/** `local@domain` spanning [from, to): atext (with dots) before one "@", a plain domain after it. */
function isPlainAddrSpec(value: string, from: number, to: number): boolean {
  const at = value.indexOf('@', from);
  if (at <= from || at >= to - 1) return false;
  for (let i = from; i < at; i++) if (classOf(value.charCodeAt(i)) !== ATEXT) return false;
  for (let i = at + 1; i < to; i++) if (!isPlainDomainCode(value.charCodeAt(i))) return false;
  return true;
}

/** The entries of `value` when every one has a plain shape, else null. */
export function parseSimpleAddressList(value: string): RawAddress[] | null {
  const out: RawAddress[] = [];
  let at = skipSpace(value, 0);
  if (at === value.length) return null;
  while (true) {
    let name: string;
    if (value.charCodeAt(at) === QUOTE) {
      // A quoted display name without escapes; it must be followed by <addr>.
      const close = value.indexOf('"', at + 1);
      if (close === -1) return null;
      for (let i = at + 1; i < close; i++) {
        const code = value.charCodeAt(i);
        if (code < 0x20 || code > 0x7e || code === BACKSLASH || code === AT) return null;
      }
      name = value.slice(at + 1, close).trim();
      at = skipSpace(value, close + 1);
      if (value.charCodeAt(at) !== LESS) return null;
    } else {
      // A run of atext and spaces up to "<" (a display name), or a bare addr-spec up to "," or the end.
      const start = at;
      let lastWord = at;
      let hasAt = false;
      for (; at < value.length; at++) {
        const code = value.charCodeAt(at);
        const kind = classOf(code);
        if (kind === ATEXT) lastWord = at + 1;
        else if (code === AT && !hasAt) hasAt = true;
        else if (kind !== SPACE) break;
      }
      const code = at < value.length ? value.charCodeAt(at) : COMMA;
      if (hasAt) {
        // Only a bare addr-spec may hold "@" (a name with an "@" is left to addressparser).
        if (code !== COMMA || !isPlainAddrSpec(value, start, lastWord)) return null;
        if (skipSpace(value, lastWord) !== at) return null; // "a@b c": white space inside
        out.push({ name: '', address: value.slice(start, lastWord) });
        if (at === value.length) return out;
        at = skipSpace(value, at + 1);
        if (at === value.length) return null; // a trailing comma
        continue;
      }
      if (code !== LESS) return null;
      name = value.slice(start, lastWord);
    }
    // at: the "<" of the angle address.
    const close = value.indexOf('>', at + 1);
    if (close === -1 || !isPlainAddrSpec(value, at + 1, close)) return null;
    out.push({ name, address: value.slice(at + 1, close) });
    at = skipSpace(value, close + 1);
    if (at === value.length) return out;
    if (value.charCodeAt(at) !== COMMA) return null;
    at = skipSpace(value, at + 1);
    if (at === value.length) return null; // a trailing comma
  }
}
