/**
 * A small RFC 5322 header reader that works on any bytes: the fallback when mailparser rejects a
 * message, and the quick look at mbox Status headers during import. It never throws.
 */
import { decodeUnlabelled } from './charset';

/** Past this many bytes the rest is treated as body: no real header block is larger. */
export const MAX_HEADER_BLOCK_BYTES = 8 * 1024 * 1024;
/** RFC 5322 §2.2: a field name is printable ASCII except ":" (here also no space, as real parsers do). */
const FIELD_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const LF = 0x0a;

export interface HeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value (RFC 5322 §2.2.3), not RFC 2047-decoded. */
  value: string;
}

export class HeaderBlock {
  constructor(
    readonly fields: readonly HeaderField[],
    /** Where the body starts in the raw bytes. */
    readonly bodyOffset: number,
    /** True when the header block ran past MAX_HEADER_BLOCK_BYTES or had no blank line after it. */
    readonly isTruncated: boolean,
  ) {}

  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    return this.fields.find((field) => field.name === wanted)?.value;
  }

  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    return this.fields.filter((field) => field.name === wanted).map((field) => field.value);
  }
}

function lineText(raw: Buffer, start: number, end: number): string {
  const stop = end > start && raw[end - 1] === 0x0d ? end - 1 : end;
  return raw.toString('latin1', start, stop);
}

/** Byte range of the header block and where the body begins. */
function findHeaderEnd(
  raw: Buffer,
  maxBytes: number,
): { end: number; bodyOffset: number; isTruncated: boolean } {
  let pos = 0;
  while (pos < raw.length) {
    if (pos >= maxBytes) return { end: pos, bodyOffset: pos, isTruncated: true };
    const newline = raw.indexOf(LF, pos);
    const lineEnd = newline === -1 ? raw.length : newline;
    const line = lineText(raw, pos, lineEnd);
    if (line === '') return { end: pos, bodyOffset: Math.min(raw.length, lineEnd + 1), isTruncated: false };
    const isContinuation = pos > 0 && (line.startsWith(' ') || line.startsWith('\t'));
    // A line that is neither a field nor a continuation: the blank line is missing, the body starts here.
    if (!isContinuation && !FIELD_LINE.test(line)) return { end: pos, bodyOffset: pos, isTruncated: pos > 0 };
    pos = newline === -1 ? raw.length : newline + 1;
  }
  return { end: raw.length, bodyOffset: raw.length, isTruncated: true };
}

export function readHeaderBlock(raw: Buffer, maxBytes: number = MAX_HEADER_BLOCK_BYTES): HeaderBlock {
  const { end, bodyOffset, isTruncated } = findHeaderEnd(raw, maxBytes);
  if (end === 0) return new HeaderBlock([], bodyOffset, false);
  const text = decodeUnlabelled(raw.subarray(0, end));
  const fields: HeaderField[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const last = fields[fields.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) });
  }
  for (const field of fields) field.value = field.value.replace(/\r?\n/g, '').trim();
  return new HeaderBlock(fields, bodyOffset, isTruncated);
}
