/**
 * One folder's headers, flags and expunges made equal to the server's (RFC 4549 §4.3, the
 * disconnected client's resync):
 *   1. SELECT, with QRESYNC when a HIGHESTMODSEQ is stored (RFC 7162 §3.2.5): expunges (VANISHED)
 *      and flag changes in the same round trip; a new UIDVALIDITY voids every stored UID.
 *   2. Flags: FETCH CHANGEDSINCE the stored HIGHESTMODSEQ (RFC 7162 §3.1.4), or every flag in
 *      pages when the server has no CONDSTORE or the last sync did not finish.
 *   3. UIDs: the server's UID list (ESEARCH, a few bytes) against the stored ones: stored UIDs the
 *      server lacks were expunged; server UIDs not stored are fetched, newest first: one
 *      screenful, then UID FETCHes of HEADER_BATCH committed HEADER_COMMIT at a time while they
 *      stream, so the list fills from the top and a cut connection loses at most the rows not
 *      yet committed (the unique (folder, UID) index makes a retry duplicate-free).
 * The folder's UIDNEXT and HIGHESTMODSEQ are stored only when all of that succeeded.
 */
import type { MessageFlags } from '../../domain/flags';
import type { Folder } from '../../domain/folder';
import type { FolderId } from '../../domain/ids';
import {
  countUids,
  fetchFlagChanges,
  fetchHeadersNewestFirst,
  listUids,
  openFolder,
  rangesFromUids,
  rangesInclude,
  type ImapSession,
  type RemoteMessageHeader,
  type UidRange,
} from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';
import { headerRow } from './header-rows';

export type FolderSyncStore = Pick<
  SqliteMailStore,
  'folders' | 'messages' | 'imapSync' | 'search' | 'emlFiles' | 'transaction'
>;

/** The first batch fills the first screen of the message list. */
export const FIRST_HEADER_BATCH = 100;
/** Later UID FETCHes: one round trip for this many summaries, newest batch first. */
export const HEADER_BATCH = 2_000;
/**
 * ...committed this many at a time while the FETCH streams on (the server keeps sending during a
 * commit): large enough to amortise a commit, small enough that a cut loses little.
 */
export const HEADER_COMMIT = 500;
/**
 * After the first screenful, list and count events at most this often: every commit would make
 * each window re-read its list page and counts several times a second for nothing.
 */
export const ANNOUNCE_INTERVAL_MS = 250;

export interface FolderSyncContext {
  store: FolderSyncStore;
  /** True while actions on this folder wait for the server: its local flags are not overwritten. */
  isPending: (folderPath: string) => boolean;
  /** After every commit that changed the folder's list or counts. */
  onChanged: (folderIds: FolderId[]) => void;
  onProgress: (done: number, total: number) => void;
  /** Removes message files after their rows were committed away. */
  removeFiles: (paths: readonly string[]) => Promise<void>;
  now: () => number;
}

export interface FolderSyncResult {
  /** Messages new since the last completed sync (not counted on the first): for `mail.arrived`. */
  arrived: number;
  added: number;
  removed: number;
  flagsChanged: number;
}

/** Server UIDs not stored here, as ranges (both inputs ascending). */
export function missingRanges(server: readonly UidRange[], stored: readonly number[]): UidRange[] {
  const missing: number[] = [];
  let i = 0;
  for (const [low, high] of server) {
    for (let uid = low; uid <= high; uid++) {
      while (i < stored.length && (stored[i] ?? 0) < uid) i++;
      if (stored[i] !== uid) missing.push(uid);
    }
  }
  return rangesFromUids(missing);
}

export async function syncFolderHeaders(
  ctx: FolderSyncContext,
  session: ImapSession,
  folder: Folder,
): Promise<FolderSyncResult> {
  const { store } = ctx;
  const result: FolderSyncResult = { arrived: 0, added: 0, removed: 0, flagsChanged: 0 };
  let state = store.imapSync.folderState(folder.id);
  const opened = await openFolder(session, folder.path, {
    uidValidity: state.uidValidity ?? undefined,
    highestModseq: state.highestModseq ?? undefined,
  });

  if (state.uidValidity !== null && opened.uidValidity !== state.uidValidity) {
    // RFC 3501 §2.3.1.1: the folder was replaced; no stored UID means anything any more. Rows of
    // queued moves (no UID yet) stay, and are matched again by Message-ID below.
    const removed = store.transaction(() => {
      const rows = store.imapSync.deleteAllWithUid(folder.id);
      store.imapSync.saveFolderState(folder.id, { uidValidity: null, uidNext: null, highestModseq: null });
      return rows;
    });
    await ctx.removeFiles(removed.map((row) => row.emlPath));
    result.removed += removed.length;
    ctx.onChanged([folder.id]);
    state = { uidValidity: null, uidNext: null, highestModseq: null };
  }
  const isFirstSync = state.uidValidity === null;
  // Until this sync completes, the next one must read every flag again (no trusted HIGHESTMODSEQ).
  store.imapSync.saveFolderState(folder.id, {
    uidValidity: opened.uidValidity,
    uidNext: state.uidNext,
    highestModseq: null,
  });

  if (opened.qresyncUsed && opened.vanished.length > 0) {
    result.removed += await removeUids(ctx, folder, opened.vanished);
  }

  const keepLocalFlags = ctx.isPending(folder.path);
  if (!isFirstSync && !keepLocalFlags) {
    if (opened.qresyncUsed) {
      result.flagsChanged += applyFlags(ctx, folder, opened.changed);
    } else if (
      state.highestModseq === null ||
      opened.highestModseq === null ||
      opened.highestModseq !== state.highestModseq
    ) {
      await fetchFlagChanges(
        session,
        folder.path,
        { changedSince: state.highestModseq ?? undefined, uidValidity: opened.uidValidity },
        (changes) => {
          result.flagsChanged += applyFlags(ctx, folder, changes);
        },
      );
    }
  }

  const server = await listUids(session, folder.path, { uidValidity: opened.uidValidity });
  const stored = store.imapSync.uids(folder.id);
  const expunged = stored.filter((uid) => !rangesInclude(server.uids, uid));
  if (expunged.length > 0) result.removed += await removeUids(ctx, folder, expunged);

  const missing = missingRanges(server.uids, stored);
  const total = countUids(missing);
  if (total > 0) {
    ctx.onProgress(0, total);
    let done = 0;
    let announcedAt = Number.NEGATIVE_INFINITY;
    let isAnnouncePending = false;
    const announce = (force: boolean): void => {
      const now = Date.now();
      if (!force && now - announcedAt < ANNOUNCE_INTERVAL_MS) {
        isAnnouncePending = true;
        return;
      }
      announcedAt = now;
      isAnnouncePending = false;
      ctx.onChanged([folder.id]);
      ctx.onProgress(done, total);
    };
    // The first UID FETCH is one screenful, shown at once; the rest comes in HEADER_BATCH FETCHes.
    const firstRanges = takeHighest(missing, FIRST_HEADER_BATCH);
    const rest = subtractHighest(missing, FIRST_HEADER_BATCH);
    try {
      for (const [ranges, batchSize, deliverEvery] of [
        [firstRanges, FIRST_HEADER_BATCH, FIRST_HEADER_BATCH],
        [rest, HEADER_BATCH, HEADER_COMMIT],
      ] as const) {
        if (ranges.length === 0) continue;
        const isFirstScreen = ranges === firstRanges;
        await fetchHeadersNewestFirst(
          session,
          folder.path,
          { uids: ranges, batchSize, deliverEvery, uidValidity: opened.uidValidity },
          (batch) => {
            const added = storeHeaders(ctx, folder, batch, state.uidNext);
            result.added += added.added;
            result.arrived += added.arrived;
            done += batch.length;
            announce(isFirstScreen);
          },
        );
      }
    } finally {
      // What was committed is shown even when the connection was cut mid-way.
      if (isAnnouncePending) announce(true);
    }
  }

  store.imapSync.saveFolderState(folder.id, {
    uidValidity: opened.uidValidity,
    uidNext: opened.uidNext,
    // Flags left alone for pending actions are read again from the old mark next time.
    highestModseq: keepLocalFlags ? state.highestModseq : opened.highestModseq,
  });
  if (result.flagsChanged > 0 || result.removed > 0) ctx.onChanged([folder.id]);
  if (isFirstSync) result.arrived = 0;
  return result;
}

/** The `count` highest UIDs of ascending ranges. */
function takeHighest(ranges: readonly UidRange[], count: number): UidRange[] {
  const out: UidRange[] = [];
  let room = count;
  for (let i = ranges.length - 1; i >= 0 && room > 0; i--) {
    const [low, high] = ranges[i] as UidRange;
    const take = Math.min(room, high - low + 1);
    out.unshift([high - take + 1, high]);
    room -= take;
  }
  return out;
}

/** Ranges without their `count` highest UIDs. */
function subtractHighest(ranges: readonly UidRange[], count: number): UidRange[] {
  const out: UidRange[] = [...ranges];
  let left = count;
  while (left > 0 && out.length > 0) {
    const [low, high] = out.pop() as UidRange;
    const size = high - low + 1;
    if (size > left) {
      out.push([low, high - left]);
      left = 0;
    } else left -= size;
  }
  return out;
}

function applyFlags(
  ctx: FolderSyncContext,
  folder: Folder,
  changes: ReadonlyArray<{ uid: number; flags: MessageFlags }>,
): number {
  if (changes.length === 0) return 0;
  const changed = ctx.store.transaction(() => {
    let count = 0;
    for (const change of changes) {
      if (ctx.store.imapSync.setServerFlags(folder.id, change.uid, change.flags) !== null) count++;
    }
    return count;
  });
  if (changed > 0) ctx.onChanged([folder.id]);
  return changed;
}

async function removeUids(ctx: FolderSyncContext, folder: Folder, uids: readonly number[]): Promise<number> {
  const removed = ctx.store.transaction(() => ctx.store.imapSync.deleteByUids(folder.id, uids));
  await ctx.removeFiles(removed.map((row) => row.emlPath));
  if (removed.length > 0) ctx.onChanged([folder.id]);
  return removed.length;
}

/**
 * One batch in one transaction. A UID already stored is skipped (a retry after a cut); a row put
 * here by a queued move and still without UID takes this one when its Message-ID matches, instead
 * of a second row.
 */
function storeHeaders(
  ctx: FolderSyncContext,
  folder: Folder,
  batch: readonly RemoteMessageHeader[],
  previousUidNext: number | null,
): { added: number; arrived: number } {
  const { store } = ctx;
  const now = ctx.now();
  const keepLocalFlags = ctx.isPending(folder.path);
  return store.transaction(() => {
    let added = 0;
    let arrived = 0;
    // Rows of queued moves are rare: when there are none, a row is just inserted, and the unique
    // (folder, UID) index skips a UID stored before a cut (one B-tree descent instead of three).
    const mayMatchWaiting = store.imapSync.hasAwaitingUid(folder.id);
    for (const header of batch) {
      if (!mayMatchWaiting) {
        if (store.messages.insertIfNew(headerRow(header, folder, now)) === null) continue;
        added++;
        if (previousUidNext !== null && header.uid >= previousUidNext) arrived++;
        continue;
      }
      if (store.imapSync.idByUid(folder.id, header.uid) !== null) continue;
      const message = headerRow(header, folder, now);
      const waiting =
        message.messageIdHeader === null
          ? null
          : store.imapSync.findAwaitingUid(folder.id, message.messageIdHeader);
      if (waiting !== null) {
        store.imapSync.assignUid(waiting, header.uid, header.size);
        if (!keepLocalFlags) store.imapSync.setServerFlags(folder.id, header.uid, header.flags);
        continue;
      }
      // Search indexes it in the background (search_pending, 007-search.sql), with its body later.
      store.messages.insert(message);
      added++;
      if (previousUidNext !== null && header.uid >= previousUidNext) arrived++;
    }
    return { added, arrived };
  });
}
