/** What the message list shows: one folder, or the unified "All Inboxes" across accounts. */
export type ListSource =
  { readonly kind: 'folder'; readonly folderId: number } | { readonly kind: 'allInboxes' };

export const ALL_INBOXES: ListSource = { kind: 'allInboxes' };

export function folderSource(folderId: number): ListSource {
  return { kind: 'folder', folderId };
}

export function isSameSource(a: ListSource | null, b: ListSource | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'folder' && b.kind === 'folder') return a.folderId === b.folderId;
  return a.kind === b.kind;
}

/** The API's scope for a source. */
export function scopeOf(source: ListSource): { folderId: number } | { allInboxes: true } {
  return source.kind === 'folder' ? { folderId: source.folderId } : { allInboxes: true };
}

/** Whether a `messages.changed` for these folders touches the list. */
export function isSourceChanged(
  source: ListSource | null,
  changedFolderIds: readonly number[],
  inboxIds: ReadonlySet<number>,
): boolean {
  if (source === null) return false;
  if (source.kind === 'folder') return changedFolderIds.includes(source.folderId);
  return changedFolderIds.some((id) => inboxIds.has(id));
}
