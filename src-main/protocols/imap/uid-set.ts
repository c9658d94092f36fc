/**
 * UID sets as sorted, merged ranges (RFC 3501 §9 "sequence-set"), so a folder of 100,000 UIDs
 * costs a handful of ranges rather than 100,000 numbers, and batches are cut from the top down.
 * Pure functions; no `*`: callers always resolve concrete UIDs first.
 */

/** Inclusive [low, high], low <= high, both >= 1. */
export type UidRange = readonly [low: number, high: number];

/** Longest sequence-set string sent in one command; RFC 7162 §4 asks clients to stay under 8192. */
export const MAX_SEQUENCE_SET_LENGTH = 4_000;

const isUid = (n: number): boolean => Number.isSafeInteger(n) && n >= 1;

/** Sorted, merged ranges from any UIDs (duplicates and disorder allowed, invalid numbers dropped). */
export function rangesFromUids(uids: Iterable<number>): UidRange[] {
  const sorted = [...uids].filter(isUid).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const uid of sorted) {
    const last = ranges.at(-1);
    if (last && uid <= last[1] + 1) last[1] = Math.max(last[1], uid);
    else ranges.push([uid, uid]);
  }
  return ranges;
}

/** Parses "1:5,7,12:10" (ESEARCH ALL, COPYUID sets). Throws on anything else, including `*`. */
export function parseSequenceSet(set: string): UidRange[] {
  const ranges: [number, number][] = [];
  if (set.trim() === '') return ranges;
  for (const part of set.split(',')) {
    const match = /^\s*(\d+)(?::(\d+))?\s*$/.exec(part);
    const a = Number(match?.[1]);
    const b = match?.[2] === undefined ? a : Number(match[2]);
    if (!match || !isUid(a) || !isUid(b))
      throw new Error(`Not a UID set: ${JSON.stringify(set.slice(0, 80))}`);
    ranges.push([Math.min(a, b), Math.max(a, b)]);
  }
  return mergeRanges(ranges);
}

function mergeRanges(ranges: UidRange[]): UidRange[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = merged.at(-1);
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

export function formatRanges(ranges: readonly UidRange[]): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}:${high}`)).join(',');
}

export function countUids(ranges: readonly UidRange[]): number {
  return ranges.reduce((sum, [low, high]) => sum + high - low + 1, 0);
}

/** Only the UIDs above `floor` (RFC 3501 §6.4.8: "n:*" still matches the highest UID when n is larger). */
export function rangesAbove(ranges: readonly UidRange[], floor: number): UidRange[] {
  return ranges.filter(([, high]) => high > floor).map(([low, high]) => [Math.max(low, floor + 1), high]);
}

/** Batches of at most `size` UIDs, highest UIDs first (each batch's ranges in ascending order). */
export function* descendingBatches(ranges: readonly UidRange[], size: number): Generator<UidRange[]> {
  assertBatchSize(size);
  let batch: UidRange[] = [];
  let room = size;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const range = ranges[i];
    if (range === undefined) continue;
    let high = range[1];
    const low = range[0];
    while (high >= low) {
      const take = Math.min(room, high - low + 1);
      batch.unshift([high - take + 1, high]);
      high -= take;
      room -= take;
      if (room === 0) {
        yield batch;
        batch = [];
        room = size;
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Batches of at most `size` UIDs, lowest UIDs first. */
export function* ascendingBatches(ranges: readonly UidRange[], size: number): Generator<UidRange[]> {
  assertBatchSize(size);
  let batch: UidRange[] = [];
  let room = size;
  for (const [rangeLow, high] of ranges) {
    let low = rangeLow;
    while (low <= high) {
      const take = Math.min(room, high - low + 1);
      batch.push([low, low + take - 1]);
      low += take;
      room -= take;
      if (room === 0) {
        yield batch;
        batch = [];
        room = size;
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Sequence-set strings for `uids`, each no longer than `maxLength` characters. */
export function sequenceSetChunks(uids: Iterable<number>, maxLength = MAX_SEQUENCE_SET_LENGTH): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const range of rangesFromUids(uids)) {
    const piece = formatRanges([range]);
    if (current !== '' && current.length + 1 + piece.length > maxLength) {
      chunks.push(current);
      current = '';
    }
    current = current === '' ? piece : `${current},${piece}`;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** Whether `uid` is inside one of the sorted ranges (binary search). */
export function rangesInclude(ranges: readonly UidRange[], uid: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid];
    if (range === undefined) return false;
    if (uid < range[0]) hi = mid - 1;
    else if (uid > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

function assertBatchSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`batch size must be >= 1, got ${size}`);
}
