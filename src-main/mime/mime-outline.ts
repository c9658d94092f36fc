/**
 * A fast walk over a message's MIME tree (RFC 2045/2046) for indexing: which parts are text, which
 * are attachments and what they are called. Only text parts are decoded; attachment bodies are
 * skipped with Buffer.indexOf, never decoded. mailparser reads the message properly when it is
 * opened; this walk applies mailparser's limits so that "damaged" means the same in the list and
 * in the reader.
 */
import { decodeCharset } from './charset';
import { readHeaderBlock } from './header-reader';
import type { HeaderBlock } from './header-reader';
import { parseStructuredValue } from './mime-params';
import { decodeTransfer } from './transfer-decoding';
import type { MimeDamage } from './parsed-message';

/** mailparser (mailsplit) refuses more parts than this (EMAXLEN). */
export const MAX_MIME_PARTS = 1000;
/** mailparser (mailsplit) refuses a part whose header block is larger than this (EMAXLEN). */
export const MAX_PART_HEADER_BYTES = 1024 * 1024;
/** Deeper nesting is not followed: no real mail nests this deep, hostile mail may. */
export const MAX_MIME_DEPTH = 50;

/** Types shown as the message's text (mailparser also folds delivery reports, RFC 3464, into it). */
const BODY_TEXT_TYPES: ReadonlySet<string> = new Set(['text/plain', 'text/html', 'message/delivery-status']);
const LF = 0x0a;
const CR = 0x0d;

export interface OutlineAttachment {
  filename: string | null;
  isInline: boolean;
}

export interface MimeOutline {
  plainTexts: string[];
  htmlTexts: string[];
  attachments: OutlineAttachment[];
  /** Why the reader will not be able to parse this message; null when it will. */
  damage: MimeDamage | null;
}

interface Delimiter {
  at: number;
  contentStart: number;
  isClose: boolean;
}

/**
 * mailparser's rule, so both agree: a text type is body text unless its disposition says
 * otherwise; any other type is an attachment; an unknown disposition counts as "attachment".
 * A part not shown inline is what the paperclip counts.
 */
export function isShownInline(type: string, disposition: string): boolean {
  return disposition === 'inline' || (disposition === '' && BODY_TEXT_TYPES.has(type));
}

class OutlineWalk {
  readonly outline: MimeOutline = { plainTexts: [], htmlTexts: [], attachments: [], damage: null };
  private parts = 0;

  constructor(
    private readonly raw: Buffer,
    private readonly maxTextBytes: number,
  ) {}

  /** `known`: the header block of this part when the caller has read it already (with the same limit). */
  walk(start: number, end: number, depth: number, inRelated: boolean, known?: HeaderBlock): void {
    if (this.outline.damage !== null) return;
    if (++this.parts > MAX_MIME_PARTS) {
      this.outline.damage = 'too-many-parts';
      return;
    }
    const headers = known ?? readHeaderBlock(this.raw.subarray(start, end), MAX_PART_HEADER_BYTES);
    if (headers.isTruncated && headers.bodyOffset >= MAX_PART_HEADER_BYTES) {
      this.outline.damage = 'header-too-large';
      return;
    }
    const bodyStart = start + headers.bodyOffset;
    const contentType = parseStructuredValue(headers.get('content-type'));
    const type = contentType.value || 'text/plain'; // RFC 2045 §5.2 default
    if (type.startsWith('multipart/')) {
      if (depth >= MAX_MIME_DEPTH) return;
      const boundary = contentType.params.get('boundary');
      if (!boundary) {
        this.outline.damage = 'no-boundary';
        return;
      }
      this.walkChildren(boundary, bodyStart, end, depth, inRelated || type === 'multipart/related');
      return;
    }
    const disposition = parseStructuredValue(headers.get('content-disposition'));
    const filename = disposition.params.get('filename') ?? contentType.params.get('name') ?? null;
    const isInline = isShownInline(type, disposition.value);
    if (!BODY_TEXT_TYPES.has(type) || !isInline) {
      const isRelated = inRelated && headers.get('content-id') !== undefined;
      this.outline.attachments.push({ filename, isInline: isInline || isRelated });
      return;
    }
    const encoded = this.raw.subarray(bodyStart, Math.min(end, bodyStart + this.maxTextBytes));
    // No bytes (or none wanted, maxTextBytes 0): nothing to decode, the text is empty.
    const text =
      encoded.length === 0
        ? ''
        : decodeCharset(
            decodeTransfer(encoded, headers.get('content-transfer-encoding') ?? '7bit'),
            contentType.params.get('charset'),
          );
    (type === 'text/html' ? this.outline.htmlTexts : this.outline.plainTexts).push(text);
  }

  /** RFC 2046 §5.1.1: parts sit between "--boundary" lines; the CRLF before each belongs to it. */
  private walkChildren(
    boundary: string,
    start: number,
    end: number,
    depth: number,
    inRelated: boolean,
  ): void {
    const delimiter = Buffer.from(`--${boundary}`, 'latin1');
    let current = this.findDelimiter(delimiter, start, start, end);
    if (current === null) {
      this.outline.damage = 'no-parts';
      return;
    }
    while (current !== null && !current.isClose) {
      const next = this.findDelimiter(delimiter, current.contentStart, start, end);
      const partEnd = next === null ? end : this.endBefore(next.at, current.contentStart);
      this.walk(current.contentStart, partEnd, depth + 1, inRelated);
      if (this.outline.damage !== null) return;
      current = next; // a missing close delimiter ends the last part at the end of the message
    }
  }

  private findDelimiter(delimiter: Buffer, from: number, regionStart: number, end: number): Delimiter | null {
    for (
      let at = this.raw.indexOf(delimiter, from);
      at !== -1 && at < end;
      at = this.raw.indexOf(delimiter, at + 1)
    ) {
      if (at !== regionStart && this.raw[at - 1] !== LF) continue;
      const after = at + delimiter.length;
      const isClose = this.raw[after] === 0x2d && this.raw[after + 1] === 0x2d;
      const next = this.raw[isClose ? after + 2 : after];
      // "--abc" must not match the start of "--abcdef": only white space may follow.
      if (
        !isClose &&
        next !== undefined &&
        after < end &&
        next !== CR &&
        next !== LF &&
        next !== 0x20 &&
        next !== 0x09
      )
        continue;
      const lineEnd = this.raw.indexOf(LF, after);
      return { at, contentStart: lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1, isClose };
    }
    return null;
  }

  private endBefore(delimiterAt: number, partStart: number): number {
    let partEnd = delimiterAt;
    if (partEnd > partStart && this.raw[partEnd - 1] === LF) partEnd--;
    if (partEnd > partStart && this.raw[partEnd - 1] === CR) partEnd--;
    return partEnd;
  }
}

/**
 * Reads the structure of `raw`; decodes at most `maxTextBytes` of each text part. `headers`:
 * the message's header block as readHeaderBlock(raw) gave it, when the caller has it, so that it
 * is not read twice (used when the part limit would have read the same block).
 */
export function outlineMessage(raw: Buffer, maxTextBytes: number, headers?: HeaderBlock): MimeOutline {
  const walk = new OutlineWalk(raw, maxTextBytes);
  // readHeaderBlock stops at a byte limit only once a line starts past it: a block that ends
  // before MAX_PART_HEADER_BYTES reads the same under that limit as under the larger default.
  const known = headers !== undefined && headers.bodyOffset < MAX_PART_HEADER_BYTES ? headers : undefined;
  walk.walk(0, raw.length, 0, false, known);
  return walk.outline;
}
