/**
 * A push-based mbox reader (RFC 4155, the mboxo/mboxrd family): bytes go in as they arrive, whole
 * messages come out; the file is never held in memory, only the message being read.
 *
 * - A message starts at a "From " line at the start of the file or after an empty line. The
 *   From_ line itself is not part of the message (it is returned as `envelope`), and the empty
 *   line before it belongs to the mbox format, not to the previous message, so it is removed.
 * - ">From " lines are un-escaped by removing one ">" (mboxrd: ">>From " -> ">From "). mboxo
 *   writers (Thunderbird, older mutt) escape "From " but not ">From ", so a body line that really
 *   began with ">From " comes out as "From ": a harmless change to quoted text, and the only way to
 *   read both variants without knowing which one wrote the file.
 * - Line endings become CRLF (RFC 5322 §2.1), whatever the file used, so every stored message has
 *   the same form as one fetched over IMAP or POP3 and its size means the same thing.
 * - A "From " line NOT preceded by an empty line stays in the body (mboxcl files do not escape).
 * - Text before the first From_ line is returned as a message, so a lone message saved as ".mbox"
 *   still imports. Entries that are only white space are not messages and are skipped.
 * - A message larger than the limit is skipped up to the next From_ line and reported as
 *   `oversized`; the rest of the file still imports.
 */
import { toCrlf } from './line-endings';

export const MAX_MBOX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** From_ lines are short ("From sender@example.org Tue Jan  2 10:00:00 2024"); the rest is ignored. */
const MAX_ENVELOPE_BYTES = 1024;
/** ">>>>From " deeper than this is treated as text rather than buffered while deciding. */
const MAX_ESCAPE_DEPTH = 256;

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const FROM_SPACE = Buffer.from('From ', 'latin1');

export type MboxEntry =
  | { kind: 'message'; raw: Buffer; envelope: string | null }
  | { kind: 'oversized'; bytes: number; envelope: string | null };

type LineKind = 'need-more' | 'blank' | 'from' | 'escaped' | 'text';

/** Whether `data` at `at` starts with "From " (or could, if the data ends first). */
function matchFromSpace(data: Buffer, at: number): 'yes' | 'no' | 'maybe' {
  for (let i = 0; i < FROM_SPACE.length; i++) {
    if (at + i >= data.length) return 'maybe';
    if (data[at + i] !== FROM_SPACE[i]) return 'no';
  }
  return 'yes';
}

function classifyLine(data: Buffer, pos: number): LineKind {
  const first = data[pos];
  if (first === LF) return 'blank';
  if (first === CR) {
    if (pos + 1 >= data.length) return 'need-more';
    return data[pos + 1] === LF ? 'blank' : 'text';
  }
  if (first === 0x46 /* F */) {
    const match = matchFromSpace(data, pos);
    return match === 'yes' ? 'from' : match === 'maybe' ? 'need-more' : 'text';
  }
  if (first === GT) {
    let at = pos;
    while (at < data.length && data[at] === GT && at - pos < MAX_ESCAPE_DEPTH) at++;
    if (at - pos >= MAX_ESCAPE_DEPTH) return 'text';
    if (at >= data.length) return 'need-more';
    const match = matchFromSpace(data, at);
    return match === 'yes' ? 'escaped' : match === 'maybe' ? 'need-more' : 'text';
  }
  return 'text';
}

export class MboxSplitter {
  private readonly maxMessageBytes: number;
  private parts: Buffer[] = [];
  private size = 0;
  private isOversized = false;
  private hasMessage = false;
  private envelope: string | null = null;
  private lastByte: number | null = null;
  /** True until the first line has been read. */
  private atFileStart = true;
  private previousLineBlank = false;
  /** Inside a line whose start was already classified as text. */
  private midLine = false;
  /** Inside a From_ line: its bytes are collected as the envelope, not the message. */
  private inEnvelope = false;
  private envelopeBytes: number[] = [];
  /** The start of a line that could not be classified before the chunk ended. */
  private carry: Buffer | null = null;
  private out: MboxEntry[] = [];

  constructor(options: { maxMessageBytes?: number } = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MBOX_MESSAGE_BYTES;
  }

  /** Feeds the next bytes of the file; returns the messages completed by them. */
  push(chunk: Buffer): MboxEntry[] {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    let pos = 0;
    let runStart = 0;
    const flushRun = (end: number): void => {
      if (end > runStart) this.append(data, runStart, end);
    };
    while (pos < data.length) {
      if (this.inEnvelope) {
        const newline = data.indexOf(LF, pos);
        const end = newline === -1 ? data.length : newline;
        for (let i = pos; i < end && this.envelopeBytes.length < MAX_ENVELOPE_BYTES; i++) {
          this.envelopeBytes.push(data[i]!);
        }
        if (newline === -1) return this.take();
        this.endEnvelope();
        pos = runStart = newline + 1;
        continue;
      }
      if (this.midLine) {
        const newline = data.indexOf(LF, pos);
        if (newline === -1) break;
        this.midLine = false;
        this.previousLineBlank = false;
        pos = newline + 1;
        continue;
      }
      const kind = classifyLine(data, pos);
      if (kind === 'need-more') {
        flushRun(pos);
        this.carry = Buffer.from(data.subarray(pos));
        return this.take();
      }
      if (kind === 'from' && (this.atFileStart || this.previousLineBlank)) {
        flushRun(pos);
        this.finishMessage(!this.atFileStart);
        this.startMessage();
        pos = runStart = pos;
        continue;
      }
      this.atFileStart = false;
      if (kind === 'escaped') {
        flushRun(pos);
        runStart = pos + 1; // drop one ">"
      }
      const newline = data.indexOf(LF, pos);
      if (newline === -1) {
        this.midLine = true;
        break;
      }
      this.previousLineBlank = kind === 'blank';
      pos = newline + 1;
    }
    flushRun(data.length);
    return this.take();
  }

  /** The file ended: returns the last message. */
  end(): MboxEntry[] {
    let endsInPartialLine = this.midLine;
    if (this.carry) {
      // An unfinished line start ("Fro", "\r") at the very end is just text.
      const rest = this.carry;
      this.carry = null;
      this.append(rest, 0, rest.length);
      endsInPartialLine = true;
    }
    if (this.inEnvelope) this.endEnvelope();
    this.finishMessage(!endsInPartialLine && this.previousLineBlank);
    this.midLine = false;
    this.atFileStart = true;
    this.previousLineBlank = false;
    return this.take();
  }

  private take(): MboxEntry[] {
    const entries = this.out;
    this.out = [];
    return entries;
  }

  private startMessage(): void {
    this.parts = [];
    this.size = 0;
    this.isOversized = false;
    this.hasMessage = true;
    this.envelope = null;
    this.lastByte = null;
    this.inEnvelope = true;
    this.envelopeBytes = [];
    this.atFileStart = false;
    this.previousLineBlank = false;
  }

  private endEnvelope(): void {
    this.inEnvelope = false;
    this.envelope = Buffer.from(this.envelopeBytes).toString('latin1').replace(/\r$/, '').slice(5).trim();
    this.envelopeBytes = [];
    this.previousLineBlank = false;
  }

  private append(data: Buffer, start: number, end: number): void {
    if (!this.hasMessage) this.hasMessage = true; // text before the first From_ line
    const converted = toCrlf(data, start, end, this.lastByte);
    if (converted.length === 0) return;
    this.lastByte = converted[converted.length - 1]!;
    this.size += converted.length;
    if (this.isOversized) return;
    if (this.size > this.maxMessageBytes) {
      this.isOversized = true;
      this.parts = [];
      return;
    }
    this.parts.push(converted);
  }

  /** Emits the current message; `dropSeparator` removes the empty line that ended it. */
  private finishMessage(dropSeparator: boolean): void {
    if (!this.hasMessage) return;
    this.hasMessage = false;
    if (this.isOversized) {
      this.out.push({ kind: 'oversized', bytes: this.size, envelope: this.envelope });
      return;
    }
    let raw = this.parts.length === 1 ? Buffer.from(this.parts[0]!) : Buffer.concat(this.parts, this.size);
    this.parts = [];
    if (dropSeparator && raw.length >= 2 && raw[raw.length - 2] === CR && raw[raw.length - 1] === LF) {
      raw = raw.subarray(0, raw.length - 2);
    }
    // Nothing but white space (leading blank lines, a From_ line with no message) is not a message.
    if (raw.every((byte) => byte === 0x20 || byte === 0x09 || byte === CR || byte === LF)) return;
    this.out.push({ kind: 'message', raw, envelope: this.envelope });
  }
}
