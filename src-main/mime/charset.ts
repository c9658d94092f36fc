/**
 * Bytes -> text for a MIME charset label. Node's TextDecoder (WHATWG Encoding, ICU-backed) knows the
 * labels real mail uses (utf-8, iso-8859-*, windows-125x, koi8-r, shift_jis, iso-2022-jp, gb18030,
 * big5, euc-kr ...). An unknown or missing label falls back to UTF-8 when the bytes are valid UTF-8
 * and to windows-1252 otherwise, which never fails and keeps ASCII intact.
 */
import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const windows1252 = new TextDecoder('windows-1252');

/** RFC 2231 §5 allows "charset*language" in encoded-words; the language part is dropped. */
function normaliseLabel(label: string): string {
  return label.split('*')[0]!.trim().toLowerCase();
}

function decoderFor(label: string): TextDecoder | null {
  const key = normaliseLabel(label);
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(key === 'utf8' ? 'utf-8' : key);
    } catch {
      decoder = null;
    }
    decoders.set(key, decoder);
  }
  return decoder;
}

export function isKnownCharset(label: string): boolean {
  return decoderFor(label) !== null;
}

/** Decodes without ever throwing; see the module comment for the fallback. */
export function decodeCharset(bytes: Uint8Array, label: string | undefined): string {
  const decoder = label ? decoderFor(label) : null;
  if (decoder) return decoder.decode(bytes);
  return decodeUnlabelled(bytes);
}

/** 8-bit header bytes (RFC 6532 allows UTF-8) or a body without a charset. */
export function decodeUnlabelled(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return windows1252.decode(bytes);
  }
}

export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return lenientUtf8.decode(bytes);
}
