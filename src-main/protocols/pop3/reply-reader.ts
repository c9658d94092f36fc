/**
 * Incremental reader of POP3 server replies over raw socket bytes (RFC 1939 §3). It is pure: the
 * connection pushes every chunk it receives and asks for the next reply of the kind it expects,
 * getting `null` until that reply is complete. Lines and the CRLF.CRLF terminator may be split
 * across chunks at any byte.
 *
 * Multi-line replies are returned as Buffers, dot-unstuffed, with every other byte exactly as
 * received (8-bit bytes, NUL, line endings): message content is never decoded to a string here.
 */

/** Single-line replies are short (RFC 2449 §4 allows 512 octets); far longer means a broken peer. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
/** The largest multi-line reply (a whole message) kept in memory before giving up. */
export const DEFAULT_MAX_MULTI_LINE_BYTES = 128 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const CR_BYTE = Buffer.from([CR]);
/** A line that begins with ".": the only lines the multi-line scanner has to look at. */
const LF_DOT = Buffer.from([LF, DOT]);

export type StatusReply =
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'err'; readonly text: string }
  /** RFC 5034 §4: a SASL server challenge, "+ " followed by base64 (possibly empty). */
  | { readonly kind: 'continuation'; readonly text: string };

export type Pop3ProtocolViolation = 'line-too-long' | 'reply-too-large' | 'malformed-reply';

/** The server broke the protocol; the byte stream can no longer be trusted. */
export class Pop3ProtocolError extends Error {
  readonly violation: Pop3ProtocolViolation;
  /** The limit that was passed, for the two size violations. */
  readonly limit: number | undefined;

  constructor(violation: Pop3ProtocolViolation, message: string, limit?: number) {
    super(message);
    this.name = 'Pop3ProtocolError';
    this.violation = violation;
    this.limit = limit;
  }
}

export interface ReplyReaderOptions {
  maxLineBytes?: number;
  maxMultiLineBytes?: number;
}

/** A FIFO of received chunks that hands bytes out without copying where it can. */
class ByteQueue {
  private chunks: Buffer[] = [];
  /** Bytes of chunks[0] already consumed. */
  private head = 0;
  private total = 0;
  /** Where the LF search resumes: a chunk index and the absolute offset of that chunk's first unread byte. */
  private scanChunk = 0;
  private scanBase = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Absolute offset of the first LF, or -1. Chunks already searched are not searched again. */
  findLf(): number {
    for (let i = this.scanChunk; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (chunk === undefined) break;
      const start = i === 0 ? this.head : 0;
      const at = chunk.indexOf(LF, start);
      if (at >= 0) return this.scanBase + (at - start);
      this.scanBase += chunk.length - start;
      this.scanChunk = i + 1;
    }
    return -1;
  }

  /** Removes and returns the first `count` bytes (count <= length). */
  take(count: number): Buffer {
    this.resetScan();
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.head >= count) {
      const out = first.subarray(this.head, this.head + count);
      this.advance(count);
      return out;
    }
    // Spanning chunks: walk them, then drop the used ones with one splice (shifting one at a time
    // is quadratic for a line that arrived a byte per chunk).
    const parts: Buffer[] = [];
    let needed = count;
    let used = 0;
    let head = this.head;
    while (needed > 0 && used < this.chunks.length) {
      const chunk = this.chunks[used];
      if (chunk === undefined) break;
      const take = Math.min(chunk.length - head, needed);
      parts.push(chunk.subarray(head, head + take));
      needed -= take;
      if (head + take < chunk.length) {
        head += take;
        break;
      }
      head = 0;
      used += 1;
    }
    this.chunks.splice(0, used);
    this.head = head;
    this.total -= count - needed;
    return Buffer.concat(parts, count - needed);
  }

  /** Removes and returns everything buffered, as chunks. */
  takeAll(): Buffer[] {
    const first = this.chunks[0];
    if (first !== undefined && this.head > 0) this.chunks[0] = first.subarray(this.head);
    const all = this.chunks;
    this.chunks = [];
    this.head = 0;
    this.total = 0;
    this.resetScan();
    return all;
  }

  /** Puts chunks back in front (what followed a terminator). */
  putBack(chunks: Buffer[]): void {
    const kept = chunks.filter((chunk) => chunk.length > 0);
    if (kept.length === 0) return;
    const first = this.chunks[0];
    if (first !== undefined && this.head > 0) this.chunks[0] = first.subarray(this.head);
    this.chunks = [...kept, ...this.chunks];
    this.head = 0;
    this.total += kept.reduce((sum, chunk) => sum + chunk.length, 0);
    this.resetScan();
  }

  private advance(count: number): void {
    this.head += count;
    this.total -= count;
    const first = this.chunks[0];
    if (first !== undefined && this.head >= first.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }

  private resetScan(): void {
    this.scanChunk = 0;
    this.scanBase = 0;
  }
}

/**
 * Where the multi-line scanner stands. RFC 1939 §3: lines are byte-stuffed by the server when they
 * begin with ".", and the reply ends with a line holding only ".". So only the first bytes of each
 * line matter: 'line-start' (the next byte begins a line), 'dot' (the line began with "."), 'dot-cr'
 * (it began with ".\r"), 'mid-line' (inside a line: copy up to the next LF).
 */
type Scan = 'line-start' | 'mid-line' | 'dot' | 'dot-cr';

interface MultiLineState {
  scan: Scan;
  parts: Buffer[];
  size: number;
}

export class ReplyReader {
  private readonly queue = new ByteQueue();
  private readonly maxLineBytes: number;
  private readonly maxMultiLineBytes: number;
  private multi: MultiLineState | null = null;

  constructor(options: ReplyReaderOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxMultiLineBytes = options.maxMultiLineBytes ?? DEFAULT_MAX_MULTI_LINE_BYTES;
  }

  /** Bytes received but not yet handed out (a partial reply, or replies to pipelined commands). */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): void {
    this.queue.push(chunk);
  }

  /**
   * The next single-line reply (`+OK`, `-ERR`, or a SASL `+ ` continuation), or null while its
   * line is incomplete. A bare LF ends the line as well as CRLF. Throws Pop3ProtocolError.
   */
  takeStatus(): StatusReply | null {
    if (this.multi !== null) throw new Error('ReplyReader: a multi-line reply is still being read');
    const lf = this.queue.findLf();
    if (lf < 0) {
      if (this.queue.length > this.maxLineBytes) throw lineTooLong(this.maxLineBytes);
      return null;
    }
    if (lf + 1 > this.maxLineBytes) throw lineTooLong(this.maxLineBytes);
    const line = this.queue.take(lf + 1);
    const end = lf > 0 && line[lf - 1] === CR ? lf - 1 : lf;
    // Reply text is for people and for parsing numbers; invalid UTF-8 becomes U+FFFD.
    return parseStatusLine(line.toString('utf8', 0, end));
  }

  /**
   * The body of a multi-line reply whose status line was already taken: dot-unstuffed, without
   * the final ".CRLF" (the CRLF ending the last line is kept, as it belongs to the content), or
   * null while the terminator has not arrived. Throws Pop3ProtocolError past the size limit.
   */
  takeMultiLine(): Buffer | null {
    const state = (this.multi ??= { scan: 'line-start', parts: [], size: 0 });
    const chunks = this.queue.takeAll();
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i];
      if (chunk === undefined) break;
      const end = this.scanChunk(state, chunk);
      if (end >= 0) {
        this.queue.putBack([chunk.subarray(end), ...chunks.slice(i + 1)]);
        this.multi = null;
        return Buffer.concat(state.parts, state.size);
      }
    }
    return null;
  }

  /**
   * Copies the content of `chunk` into `state.parts` (as views, copied once at the end), dropping
   * stuffing dots. Returns the offset just past the terminator, or -1 if the chunk did not end it.
   */
  private scanChunk(state: MultiLineState, chunk: Buffer): number {
    // Content runs from `runStart` up to the current position; it is emitted when a stuffing dot
    // is dropped and at the end of the chunk.
    let runStart = 0;
    let i = 0;
    while (i < chunk.length) {
      switch (state.scan) {
        case 'mid-line': {
          // Only a line that begins with "." needs anything done, so the scan jumps from one LF
          // followed by a dot to the next (one native search over the chunk, not one per line).
          // Any LF starts a line, so a server sending bare LF still gets its ".\n" recognised and
          // its stuffed lines unstuffed; the line endings themselves are kept as received.
          const lfDot = chunk.indexOf(LF_DOT, i);
          if (lfDot >= 0) {
            i = lfDot + 1;
            state.scan = 'line-start';
          } else {
            // No dotted line starts in this chunk; a final LF means the next chunk begins a line.
            i = chunk.length;
            if (chunk[chunk.length - 1] === LF) state.scan = 'line-start';
          }
          break;
        }
        case 'line-start': {
          if (chunk[i] === DOT) {
            this.emit(state, chunk, runStart, i);
            runStart = i + 1; // the dot is held back until we know what the line is
            i += 1;
            state.scan = 'dot';
          } else {
            state.scan = 'mid-line';
          }
          break;
        }
        case 'dot': {
          const byte = chunk[i];
          if (byte === LF) return i + 1; // ".\n": terminator from a bare-LF server
          if (byte === CR) {
            runStart = i + 1; // ".\r" might be the terminator: hold the CR back too
            i += 1;
            state.scan = 'dot-cr';
          } else {
            // RFC 1939 §3: "..x" was stuffed; the first dot is dropped (already excluded from the run).
            state.scan = 'mid-line';
          }
          break;
        }
        case 'dot-cr': {
          if (chunk[i] === LF) return i + 1; // ".\r\n": the terminator
          // ".\r" followed by more: a stuffed line beginning with CR. Give the held CR back.
          this.emitBytes(state, CR_BYTE);
          runStart = i;
          state.scan = 'mid-line';
          break;
        }
      }
    }
    this.emit(state, chunk, runStart, chunk.length);
    return -1;
  }

  private emit(state: MultiLineState, chunk: Buffer, from: number, to: number): void {
    if (to > from) this.emitBytes(state, chunk.subarray(from, to));
  }

  private emitBytes(state: MultiLineState, bytes: Buffer): void {
    state.size += bytes.length;
    if (state.size > this.maxMultiLineBytes) {
      throw new Pop3ProtocolError(
        'reply-too-large',
        `multi-line reply larger than ${this.maxMultiLineBytes} bytes`,
        this.maxMultiLineBytes,
      );
    }
    state.parts.push(bytes);
  }
}

function lineTooLong(limit: number): Pop3ProtocolError {
  return new Pop3ProtocolError('line-too-long', `reply line longer than ${limit} bytes`, limit);
}

/**
 * RFC 1939 §3: "+OK" or "-ERR", optionally followed by a space and text. The indicators are
 * matched case-insensitively for broken servers. RFC 5034 §4: a continuation is "+" alone or
 * "+ " and base64.
 */
export function parseStatusLine(line: string): StatusReply {
  const upper = line.slice(0, 4).toUpperCase();
  if (upper.startsWith('+OK')) return { kind: 'ok', text: line.slice(3).trimStart() };
  if (upper === '-ERR') return { kind: 'err', text: line.slice(4).trimStart() };
  if (line === '+' || line.startsWith('+ ')) return { kind: 'continuation', text: line.slice(2) };
  throw new Pop3ProtocolError('malformed-reply', `unexpected reply line: ${line.slice(0, 200)}`);
}
