import type { ExpungeEvent, FetchMessageObject } from 'imapflow';
import { flagsFromImap } from '../../domain/flags';
import type { FlagChange } from './fetch';
import type { ImapSession } from './session';
import { searchUidRanges } from './uid-search';
import { ascendingBatches, formatRanges, rangesInclude } from './uid-set';

/**
 * What changed in a folder already stored: flag changes by CONDSTORE (RFC 7162 §3.1.4 FETCH
 * CHANGEDSINCE) or by paging all flags, and expunges by QRESYNC (RFC 7162 §3.2.6 VANISHED
 * modifier) or by listing the UIDs still present for the caller to compare.
 */

/** Flags per page when the server has no CONDSTORE (UID FETCH a:b (FLAGS)). */
export const FLAG_PAGE_SIZE = 1_000;
/** Flag changes handed to the callback at once. */
export const FLAG_CHANGE_BATCH_SIZE = 500;

export interface FlagChangeOptions {
  /** The HIGHESTMODSEQ stored after the last sync; without it (or CONDSTORE) every flag is read. */
  changedSince?: bigint;
  uidValidity?: bigint;
}

export interface FlagChangeResult {
  /** 'changedSince': only changes were read; 'full': every message's flags were read. */
  mode: 'changedSince' | 'full';
  /** The folder's HIGHESTMODSEQ when the read started, to store for next time; null without CONDSTORE. */
  highestModseq: bigint | null;
}

/**
 * Streams flag changes in batches to `onBatch` (awaited before more is read). In 'full' mode the
 * caller receives every message's flags and compares with what it stored. `onBatch` must not
 * issue commands on this session.
 */
export async function fetchFlagChanges(
  session: ImapSession,
  path: string,
  options: FlagChangeOptions,
  onBatch: (changes: FlagChange[]) => Promise<void> | void,
): Promise<FlagChangeResult> {
  return session.withMailbox(
    path,
    async (mailbox) => {
      const highestModseq = mailbox.noModseq ? null : (mailbox.highestModseq ?? null);
      const { client } = session;
      // Keyed by UID: a change can also arrive as an unsolicited FETCH during the command
      // (RFC 3501 §7.4.2), and the later row is the current state.
      let batch = new Map<number, FlagChange>();
      const add = (row: FetchMessageObject): void => {
        if (row.flags)
          batch.set(row.uid, { uid: row.uid, flags: flagsFromImap(row.flags), modseq: row.modseq ?? null });
      };
      const flush = async (): Promise<void> => {
        if (batch.size === 0) return;
        const ready = [...batch.values()];
        batch = new Map();
        await onBatch(ready);
      };

      const canUseChangedSince =
        options.changedSince !== undefined && session.capabilities.condstore && !mailbox.noModseq;
      if (canUseChangedSince) {
        // One UID FETCH 1:* (FLAGS) (CHANGEDSINCE n): only messages whose MODSEQ is above n answer.
        const rows = client.fetch(
          '1:*',
          { uid: true, flags: true },
          { uid: true, changedSince: options.changedSince },
        );
        for await (const row of rows) {
          add(row);
          // Awaited inside imapflow's iterator, which pauses reading (backpressure).
          if (batch.size >= FLAG_CHANGE_BATCH_SIZE) await flush();
        }
        await flush();
        return { mode: 'changedSince', highestModseq };
      }

      const ranges = await searchUidRanges(session);
      for (const page of ascendingBatches(ranges, FLAG_PAGE_SIZE)) {
        for await (const row of client.fetch(formatRanges(page), { uid: true, flags: true }, { uid: true })) {
          if (rangesInclude(page, row.uid)) add(row);
        }
        await flush();
      }
      return { mode: 'full', highestModseq };
    },
    { expectedUidValidity: options.uidValidity },
  );
}

export type VanishedResult =
  /** Exactly the UIDs expunged since `changedSince` (QRESYNC). */
  | { kind: 'vanished'; uids: number[] }
  /** Every UID still in the folder: the caller's stored UIDs not listed here were expunged. */
  | { kind: 'present'; uids: number[] };

/**
 * Expunges since the last sync. With QRESYNC: UID FETCH 1:* (UID) (CHANGEDSINCE n VANISHED), whose
 * VANISHED (EARLIER) response lists the expunged UIDs (RFC 7162 §3.2.6). Otherwise UID SEARCH ALL.
 */
export async function fetchVanished(
  session: ImapSession,
  path: string,
  options: FlagChangeOptions,
): Promise<VanishedResult> {
  return session.withMailbox(
    path,
    async (mailbox) => {
      const { client } = session;
      if (options.changedSince !== undefined && session.capabilities.qresync && !mailbox.noModseq) {
        const vanished = new Set<number>();
        const onExpunge = (event: ExpungeEvent): void => {
          if (event.path === mailbox.path && event.vanished && event.uid !== undefined)
            vanished.add(event.uid);
        };
        client.on('expunge', onExpunge);
        try {
          const rows = client.fetch('1:*', { uid: true }, { uid: true, changedSince: options.changedSince });
          for await (const _row of rows) {
            // Changed messages answer too; only the VANISHED response matters here.
          }
        } finally {
          client.off('expunge', onExpunge);
        }
        return { kind: 'vanished', uids: [...vanished].sort((a, b) => a - b) };
      }
      const present: number[] = [];
      for (const [low, high] of await searchUidRanges(session)) {
        for (let uid = low; uid <= high; uid++) present.push(uid);
      }
      return { kind: 'present', uids: present };
    },
    { expectedUidValidity: options.uidValidity },
  );
}
