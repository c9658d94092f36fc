/**
 * Parsing the numeric replies of STAT, LIST and UIDL (RFC 1939 §5, §7). A line we cannot read is
 * an error rather than skipped: silently missing a message would make it look deleted.
 */
import { malformedReply } from './errors';

/** RFC 1939 §7: a unique-id is 1 to 70 printable characters; some servers send longer, so allow more. */
const MAX_UID_LENGTH = 1024;

export interface Pop3Stat {
  /** Messages in the maildrop, not counting those marked deleted. */
  readonly count: number;
  /** Their total size in octets. */
  readonly size: number;
}

/** RFC 1939 §5 STAT: "+OK nn mm" (anything after the two numbers is ignored). */
export function parseStat(text: string): Pop3Stat {
  const match = /^(\d+)\s+(\d+)/.exec(text);
  const count = Number(match?.[1]);
  const size = Number(match?.[2]);
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(size)) throw malformedReply(`STAT: ${text}`);
  return { count, size };
}

/** RFC 1939 §5 LIST: "msg-number size" per line; text after the size is allowed and ignored. */
export function parseScanListing(body: Buffer): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const line of listingLines(body)) {
    const match = /^(\d+)\s+(\d+)/.exec(line);
    const number = Number(match?.[1]);
    const size = Number(match?.[2]);
    if (!isMessageNumber(number) || !Number.isSafeInteger(size)) throw malformedReply(`LIST: ${line}`);
    sizes.set(number, size);
  }
  return sizes;
}

/** RFC 1939 §7 UIDL: "msg-number unique-id" per line. */
export function parseUidListing(body: Buffer): Map<number, string> {
  const uids = new Map<number, string>();
  for (const line of listingLines(body)) {
    const match = /^(\d+)\s+(\S+)/.exec(line);
    const number = Number(match?.[1]);
    const uid = match?.[2];
    if (!isMessageNumber(number) || uid === undefined || uid.length > MAX_UID_LENGTH) {
      throw malformedReply(`UIDL: ${line.slice(0, 200)}`);
    }
    uids.set(number, uid);
  }
  return uids;
}

/** RFC 1939 §3: message numbers start at 1. */
export function isMessageNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1;
}

/** Listing lines: ASCII by the RFC; latin1 keeps any stray 8-bit byte as one character. */
function listingLines(body: Buffer): string[] {
  return body
    .toString('latin1')
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trim())
    .filter((line) => line.length > 0);
}
