/**
 * A small RFC 5322 header reader that works on any bytes: the fallback when mailparser rejects a
 * message, and the quick look at mbox Status headers during import. It never throws.
 */
import { decodeUnlabelled } from './charset';

/** Past this many bytes the rest is treated as body: no real header block is larger. */
export const MAX_HEADER_BLOCK_BYTES = 8 * 1024 * 1024;
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

const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

/**
 * Whether the bytes [start, stop) of one line (without its CR LF) begin a field: RFC 5322 §2.2, a
 * field name is printable ASCII except ":" (here also no space, as real parsers do), then optional
 * spaces or tabs and ":". Read on the bytes, not on a string made of each line: every line of
 * every header block passes here.
 */
function isFieldLine(raw: Buffer, start: number, stop: number): boolean {
  let at = start;
  for (; at < stop; at++) {
    const byte = raw[at]!;
    if (byte < 0x21 || byte > 0x7e || byte === COLON) break;
  }
  if (at === start) return false;
  while (at < stop && (raw[at] === SPACE || raw[at] === TAB)) at++;
  return at < stop && raw[at] === COLON;
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
    // The line without a CR that ends it.
    const stop = lineEnd > pos && raw[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (stop === pos) return { end: pos, bodyOffset: Math.min(raw.length, lineEnd + 1), isTruncated: false };
    const isContinuation = pos > 0 && (raw[pos] === SPACE || raw[pos] === TAB);
    // A line that is neither a field nor a continuation: the blank line is missing, the body starts here.
    if (!isContinuation && !isFieldLine(raw, pos, stop))
      return { end: pos, bodyOffset: pos, isTruncated: pos > 0 };
    pos = newline === -1 ? raw.length : newline + 1;
  }
  return { end: raw.length, bodyOffset: raw.length, isTruncated: true };
}

/** Adds one line of the decoded header text to `fields`: a new field, or a continuation of the last. */
function addLine(fields: HeaderField[], line: string): void {
  if (line === '') return;
  const last = fields[fields.length - 1];
  if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
    last.value += line;
    return;
  }
  const colon = line.indexOf(':');
  if (colon <= 0) return;
  fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) });
}

export function readHeaderBlock(raw: Buffer, maxBytes: number = MAX_HEADER_BLOCK_BYTES): HeaderBlock {
  const { end, bodyOffset, isTruncated } = findHeaderEnd(raw, maxBytes);
  if (end === 0) return new HeaderBlock([], bodyOffset, false);
  const text = decodeUnlabelled(raw.subarray(0, end));
  const fields: HeaderField[] = [];
  // Lines split at LF, a CR before it dropped (as text.split(/\r?\n/) would, without a regex).
  for (let start = 0; ;) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      addLine(fields, text.slice(start));
      break;
    }
    const stop = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
    addLine(fields, text.slice(start, stop));
    start = newline + 1;
  }
  // Unfolding joined the lines without their line ends, so only the outer white space goes.
  for (const field of fields) field.value = field.value.trim();
  return new HeaderBlock(fields, bodyOffset, isTruncated);
}
