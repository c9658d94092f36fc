/**
 * Small immutable collection steps for the rune classes, which keep maps and sets in `$state.raw`
 * and replace them wholesale (never mutate them), so they need no SvelteMap/SvelteSet.
 */
export const NO_IDS: ReadonlySet<number> = new Set();

export function idSet(ids: Iterable<number>): ReadonlySet<number> {
  return new Set(ids);
}

/** Ids in first-seen order, each once. */
export function uniqueIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)];
}

export function mapFrom<K, V>(entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> {
  return new Map(entries);
}

export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

export function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}
