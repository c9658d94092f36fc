/**
 * Structured header values: "text/plain; charset=utf-8; name*=UTF-8''%C3%9Cber.pdf" -> the value
 * and its parameters, with RFC 2231 continuations and charsets and the RFC 2047 words that many
 * mailers put in quoted parameters anyway.
 */
import { decodeCharset } from './charset';
import { decodeEncodedWords } from './encoded-words';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const SEMICOLON = 0x3b;

export interface StructuredValue {
  /** Lower-case value ("multipart/mixed", "attachment"). */
  value: string;
  /** Lower-case parameter names -> decoded values. */
  params: Map<string, string>;
}

/** Splits at ";" outside quoted strings (RFC 2045 §5.1); a backslash in quotes keeps the next character as it is. */
function splitParameters(text: string): string[] {
  const pieces: string[] = [];
  // A piece is `current` plus the characters from `runStart`: copied in runs, not one at a time.
  let current = '';
  let runStart = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH && inQuotes && i + 1 < text.length) {
      current += text.slice(runStart, i); // the backslash is dropped ...
      i += 1;
      runStart = i; // ... and the character after it kept, whatever it is
      continue;
    }
    if (code === QUOTE) inQuotes = !inQuotes;
    else if (code === SEMICOLON && !inQuotes) {
      pieces.push(current + text.slice(runStart, i));
      current = '';
      runStart = i + 1;
    }
  }
  pieces.push(current + text.slice(runStart));
  return pieces;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2
    ? trimmed.slice(1, -1)
    : trimmed;
}

/** RFC 2231 §4: "utf-8'lang'%C3%9C..." percent-encoded in the given charset. */
function decodeExtendedValue(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '%' && /^[0-9a-f]{2}$/i.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(value.charCodeAt(i) & 0xff);
  }
  return decodeCharset(Uint8Array.from(bytes), charset || 'utf-8');
}

export function parseStructuredValue(header: string | undefined): StructuredValue {
  const [head = '', ...rest] = splitParameters(header ?? '');
  const simple = new Map<string, string>();
  /** name -> RFC 2231 sections by index, with whether each was extended ("*"). */
  const sections = new Map<string, Array<{ index: number; text: string; isExtended: boolean }>>();
  for (const piece of rest) {
    const equals = piece.indexOf('=');
    if (equals <= 0) continue;
    const rawName = piece.slice(0, equals).trim().toLowerCase();
    const rawValue = piece.slice(equals + 1);
    const section = /^([^*]+)\*(\d+)?(\*)?$/.exec(rawName);
    if (!section) {
      simple.set(rawName, decodeEncodedWords(unquote(rawValue)));
      continue;
    }
    const [, name = '', index, star] = section;
    const isExtended = star !== undefined || index === undefined;
    const list = sections.get(name) ?? [];
    list.push({ index: index === undefined ? 0 : Number(index), text: unquote(rawValue), isExtended });
    sections.set(name, list);
  }
  for (const [name, list] of sections) {
    list.sort((a, b) => a.index - b.index);
    // RFC 2231 §4: only the first section carries "charset'language'".
    const first = list[0]!;
    const charsetMatch = first.isExtended ? /^([^']*)'[^']*'(.*)$/s.exec(first.text) : null;
    const charset = charsetMatch?.[1] ?? 'utf-8';
    const joined = list
      .map((part, i) => {
        const text = i === 0 && charsetMatch ? charsetMatch[2]! : part.text;
        return part.isExtended ? decodeExtendedValue(text, charset) : text;
      })
      .join('');
    simple.set(name, joined);
  }
  return { value: head.trim().toLowerCase(), params: simple };
}
