/**
 * Attachment names come from the sender (RFC 2183 filename, RFC 2231 encoded): treat them as hostile
 * before they reach a file system. The result has no directory parts, no "..", no control or
 * reserved characters, is not a Windows device name, and fits in FILENAME_MAX_BYTES of UTF-8 with
 * its extension kept.
 */
export const FILENAME_MAX_BYTES = 200;
/** The longest extension kept intact when a long name is shortened. */
const EXTENSION_MAX_BYTES = 20;

/** Windows reserves these names with any extension ("NUL.txt" is still the null device). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)\s*(\..*)?$/i;
/** C0/C1 controls, path separators, and characters Windows forbids in names. */
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g;
/**
 * Look-alikes of "/", "\\", ":" and "." that Windows' "best fit" conversion to a legacy code page
 * turns back into the real characters (fullwidth solidus -> "/", and so on), so a name that looks
 * flat here could still climb directories in a program that saves it through an ANSI API.
 */
const BEST_FIT_LOOKALIKES =
  /[\u2215\u2044\u29f8\uff0f\uff3c\u2216\u29f5\ufe68\uff1a\ufe55\u2236\uff0e\u2024\ufe52]/g;
/** Bidirectional overrides let "gpj.exe" display as "exe.jpg". */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const size = utf8Length(ch);
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out;
}

function trimEdges(name: string): string {
  return name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
}

function shorten(name: string): string {
  if (utf8Length(name) <= FILENAME_MAX_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  if (extension !== '' && utf8Length(extension) <= EXTENSION_MAX_BYTES) {
    const stem = truncateUtf8(name.slice(0, dot), FILENAME_MAX_BYTES - utf8Length(extension));
    return trimEdges(stem) + extension;
  }
  return trimEdges(truncateUtf8(name, FILENAME_MAX_BYTES));
}

export function sanitizeAttachmentFilename(name: string | undefined, fallback: string): string {
  const safeFallback = fallback === '' ? 'attachment' : fallback;
  if (name === undefined) return safeFallback;
  // Only the last path segment counts: "../../etc/passwd" and "C:\\evil\\x.exe" keep their base name.
  const segments = name.normalize('NFC').replace(BEST_FIT_LOOKALIKES, '_').split(/[/\\]/);
  const base = segments[segments.length - 1] ?? '';
  let cleaned = base.replace(BIDI_CONTROLS, '').replace(FORBIDDEN_CHARS, '_').replace(/\s+/g, ' ');
  cleaned = trimEdges(cleaned.replace(/\.{2,}/g, '.'));
  if (cleaned === '' || /^_*$/.test(cleaned)) return safeFallback;
  if (WINDOWS_DEVICE.test(cleaned)) cleaned = `_${cleaned}`;
  cleaned = shorten(cleaned);
  return cleaned === '' ? safeFallback : cleaned;
}
