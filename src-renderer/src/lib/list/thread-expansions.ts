/**
 * Threads opened inline in the conversation view: the list of threads (the "base" rows, fetched
 * in pages) with each opened thread's messages shown as rows right under it. The view counts
 * "display" indices; the pages count base indices. These functions translate between the two in
 * time proportional to the number of open threads (a handful), never to the folder.
 */

/** An opened thread: its row's base index and id, and its messages (oldest first). */
export interface ThreadExpansion<Row> {
  readonly at: number;
  readonly threadId: number;
  readonly members: readonly Row[];
}

/** Where a display index points: base row `base`, or (member >= 0) that message of its open thread. */
export interface DisplaySpot {
  readonly base: number;
  /** -1: the base row itself. */
  readonly member: number;
}

/** Rows the view shows: the base rows plus every open thread's messages. */
export function displayTotal<Row>(baseTotal: number, expansions: readonly ThreadExpansion<Row>[]): number {
  let total = baseTotal;
  for (const expansion of expansions) if (expansion.at < baseTotal) total += expansion.members.length;
  return total;
}

/** The base row or thread message at `display` (expansions sorted by `at`). */
export function locate<Row>(display: number, expansions: readonly ThreadExpansion<Row>[]): DisplaySpot {
  let shift = 0;
  for (const expansion of expansions) {
    const rowAt = expansion.at + shift;
    if (display <= rowAt) break;
    const member = display - rowAt - 1;
    if (member < expansion.members.length) return { base: expansion.at, member };
    shift += expansion.members.length;
  }
  return { base: display - shift, member: -1 };
}

/** The display index of base row `base`. */
export function displayIndexOf<Row>(base: number, expansions: readonly ThreadExpansion<Row>[]): number {
  let shift = 0;
  for (const expansion of expansions) {
    if (expansion.at >= base) break;
    shift += expansion.members.length;
  }
  return base + shift;
}

/** The base rows a display range covers (for fetching their pages). */
export function baseRange<Row>(
  range: { start: number; end: number },
  expansions: readonly ThreadExpansion<Row>[],
): { start: number; end: number } {
  if (range.end <= range.start) return range;
  return { start: locate(range.start, expansions).base, end: locate(range.end - 1, expansions).base + 1 };
}

/** The expansions with one more, kept sorted by base index (an already open thread is replaced). */
export function withExpansion<Row>(
  expansions: readonly ThreadExpansion<Row>[],
  added: ThreadExpansion<Row>,
): ThreadExpansion<Row>[] {
  return [...expansions.filter((e) => e.at !== added.at), added].sort((a, b) => a.at - b.at);
}

export function withoutExpansion<Row>(
  expansions: readonly ThreadExpansion<Row>[],
  at: number,
): readonly ThreadExpansion<Row>[] {
  return expansions.some((e) => e.at === at) ? expansions.filter((e) => e.at !== at) : expansions;
}
