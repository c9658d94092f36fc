/**
 * The .eml format is exactly one message per file: the bytes are collected (line endings made CRLF,
 * as mbox-splitter does) and returned as one entry at the end, however empty or broken.
 */
import { toCrlf } from './line-endings';
import { MAX_MBOX_MESSAGE_BYTES } from './mbox-splitter';
import type { MboxEntry } from './mbox-splitter';

export class EmlCollector {
  private parts: Buffer[] = [];
  private size = 0;
  private lastByte: number | null = null;
  private readonly maxMessageBytes: number;

  constructor(options: { maxMessageBytes?: number } = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MBOX_MESSAGE_BYTES;
  }

  push(chunk: Buffer): MboxEntry[] {
    const converted = toCrlf(chunk, 0, chunk.length, this.lastByte);
    if (converted.length === 0) return [];
    this.lastByte = converted[converted.length - 1]!;
    this.size += converted.length;
    if (this.size <= this.maxMessageBytes) this.parts.push(converted);
    else this.parts = [];
    return [];
  }

  end(): MboxEntry[] {
    const entry: MboxEntry =
      this.size > this.maxMessageBytes
        ? { kind: 'oversized', bytes: this.size, envelope: null }
        : { kind: 'message', raw: Buffer.concat(this.parts, this.size), envelope: null };
    this.parts = [];
    this.size = 0;
    this.lastByte = null;
    return [entry];
  }
}
