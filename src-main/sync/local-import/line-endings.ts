/** RFC 5322 §2.1: lines end in CRLF. mbox files on Unix use bare LF; the store keeps CRLF. */
const CR = 0x0d;
const LF = 0x0a;

/**
 * `data[start, end)` with every bare LF turned into CRLF. `previousByte` is the byte just before
 * `start` in the message (so a CR at the end of the previous chunk still pairs with this LF).
 * Returns a view of `data` when nothing changes.
 */
export function toCrlf(data: Buffer, start: number, end: number, previousByte: number | null): Buffer {
  let bareLineFeeds = 0;
  for (let i = data.indexOf(LF, start); i !== -1 && i < end; i = data.indexOf(LF, i + 1)) {
    const before = i > start ? data[i - 1] : previousByte;
    if (before !== CR) bareLineFeeds++;
  }
  if (bareLineFeeds === 0) return data.subarray(start, end);
  const out = Buffer.allocUnsafe(end - start + bareLineFeeds);
  let written = 0;
  let copyFrom = start;
  for (let i = data.indexOf(LF, start); i !== -1 && i < end; i = data.indexOf(LF, i + 1)) {
    const before = i > start ? data[i - 1] : previousByte;
    if (before === CR) continue;
    written += data.copy(out, written, copyFrom, i);
    out[written++] = CR;
    copyFrom = i;
  }
  written += data.copy(out, written, copyFrom, end);
  return out.subarray(0, written);
}
