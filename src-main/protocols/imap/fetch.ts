import type { ExpungeEvent, FetchQueryObject, FlagsEvent, MailboxObject } from 'imapflow';
import { MailError } from '../../domain/errors';
import { flagsFromImap, type MessageFlags } from '../../domain/flags';
import { isInboxPath } from './folder-roles';
import { SUMMARY_HEADER_FIELDS, toRemoteMessageHeader, type RemoteMessageHeader } from './message-header';
import type { ImapSession } from './session';
import { searchUidRanges } from './uid-search';
import { descendingBatches, formatRanges, rangesFromUids, rangesInclude, type UidRange } from './uid-set';

/**
 * Opening a folder and streaming what is in it: message summaries newest first, and full
 * sources. Every FETCH is a UID FETCH (RFC 3501 §6.4.8) over a bounded UID set, consumed as
 * imapflow's async iterator, so memory holds one batch, never the folder.
 */

export interface FlagChange {
  uid: number;
  flags: MessageFlags;
  modseq: bigint | null;
}

export interface OpenedFolder {
  path: string;
  uidValidity: bigint;
  uidNext: number;
  /** Null without CONDSTORE, or for a mailbox without mod-sequences ([NOMODSEQ], RFC 7162 §3.1.2.2). */
  highestModseq: bigint | null;
  /** Messages in the folder (EXISTS). */
  exists: number;
  /** True when the given uidValidity is no longer the folder's: every cached UID is void (RFC 3501 §2.3.1.1). */
  uidValidityChanged: boolean;
  /** True when SELECT carried QRESYNC and the server accepted it (RFC 7162 §3.2.5). */
  qresyncUsed: boolean;
  /** With QRESYNC: UIDs expunged since `highestModseq` (VANISHED (EARLIER), RFC 7162 §3.2.10). */
  vanished: number[];
  /** With QRESYNC: messages whose flags changed since `highestModseq`. */
  changed: FlagChange[];
}

export interface KnownFolderState {
  uidValidity?: bigint;
  highestModseq?: bigint;
}

/** imapflow sets `qresync` on the mailbox object it builds in SELECT; its type does not list it. */
interface SelectedMailbox extends MailboxObject {
  qresync?: boolean;
}

/** Default headers batch: the first screenful of the message list. */
export const DEFAULT_HEADER_BATCH_SIZE = 100;
/** Upper bound on a caller's batch size: one batch is held in memory. */
export const MAX_HEADER_BATCH_SIZE = 2_000;
/** Sources per UID FETCH; each is handed over as it arrives, so this bounds command length only. */
export const SOURCE_BATCH_SIZE = 50;
/** Upper bound on a caller's source batch (the bulk download asks for more per round trip). */
export const MAX_SOURCE_BATCH_SIZE = 1_000;

/** imapflow reports INBOX in upper case whatever the caller wrote (RFC 3501 §5.1). */
const samePath = (a: string, b: string): boolean => a === b || (isInboxPath(a) && isInboxPath(b));

const HEADER_QUERY: FetchQueryObject = {
  uid: true,
  flags: true,
  size: true,
  internalDate: true,
  headers: [...SUMMARY_HEADER_FIELDS],
};

/**
 * SELECT `path`. With a known uidValidity + highestModseq and QRESYNC enabled, the SELECT carries
 * QRESYNC (RFC 7162 §3.2.5) and the server reports what changed since in the same round trip.
 * If the folder was already selected on this connection it is not selected again (a NOOP brings
 * the server's news instead) and the QRESYNC fields stay empty: use fetchFlagChanges /
 * fetchVanished then.
 */
export async function openFolder(
  session: ImapSession,
  path: string,
  known: KnownFolderState = {},
): Promise<OpenedFolder> {
  const { client } = session;
  const useQresync =
    session.capabilities.qresync && known.uidValidity !== undefined && known.highestModseq !== undefined;
  const vanished: number[] = [];
  const changed: FlagChange[] = [];
  let selectedNow = false;
  const onOpen = (): void => {
    selectedNow = true;
  };
  const onExpunge = (event: ExpungeEvent): void => {
    if (samePath(event.path, path) && event.vanished && event.uid !== undefined) vanished.push(event.uid);
  };
  const onFlags = (event: FlagsEvent): void => {
    if (samePath(event.path, path) && event.uid !== undefined) {
      changed.push({ uid: event.uid, flags: flagsFromImap(event.flags), modseq: event.modseq ?? null });
    }
  };
  client.on('mailboxOpen', onOpen);
  client.on('expunge', onExpunge);
  client.on('flags', onFlags);
  try {
    const lock = await session.command((c) =>
      c.getMailboxLock(
        path,
        useQresync ? { uidValidity: known.uidValidity, changedSince: known.highestModseq } : {},
      ),
    );
    try {
      // Already selected: the server reports what changed since (EXISTS, EXPUNGE, FETCH) only at
      // a sync point such as NOOP (RFC 3501 §6.1.2); without it new mail stays invisible here.
      if (!selectedNow) await session.command((c) => c.noop());
      const mailbox: SelectedMailbox | false = client.mailbox;
      if (mailbox === false)
        throw new MailError('CONNECTION_LOST', 'The connection to the mail server was lost.');
      const qresyncUsed = selectedNow && useQresync && mailbox.qresync === true;
      return {
        path: mailbox.path,
        uidValidity: mailbox.uidValidity,
        uidNext: mailbox.uidNext,
        highestModseq: mailbox.noModseq ? null : (mailbox.highestModseq ?? null),
        exists: mailbox.exists,
        uidValidityChanged: known.uidValidity !== undefined && known.uidValidity !== mailbox.uidValidity,
        qresyncUsed,
        vanished: qresyncUsed ? vanished : [],
        changed: qresyncUsed ? changed : [],
      };
    } finally {
      lock.release();
    }
  } finally {
    client.off('mailboxOpen', onOpen);
    client.off('expunge', onExpunge);
    client.off('flags', onFlags);
  }
}

export interface HeaderFetchOptions {
  /** Only messages with a UID above this one (the highest UID already stored). */
  sinceUid?: number;
  /** Exactly these UIDs (e.g. the ones missing here after an interrupted first sync); overrides sinceUid. */
  uids?: readonly UidRange[];
  batchSize?: number;
  /**
   * Hand rows over every this many while a batch's FETCH is still streaming (default: the whole
   * batch at once). The server keeps sending while `onBatch` works, so a large batch costs one
   * round trip and its commits overlap with the transfer; memory holds this many rows.
   */
  deliverEvery?: number;
  /** Fail with UIDVALIDITY_CHANGED instead of returning summaries for a different folder. */
  uidValidity?: bigint;
}

/**
 * Message summaries (FLAGS, RFC822.SIZE, INTERNALDATE and the header fields the list shows,
 * SUMMARY_HEADER_FIELDS), newest first: UIDs are cut into descending batches so the first batch
 * holds the highest UIDs and the message list fills from the top. What is handed over is sorted
 * by UID, descending, and `onBatch` is awaited before more is read (backpressure).
 *
 * `onBatch` must not issue commands on this session (imapflow holds the mailbox lock meanwhile).
 */
export async function fetchHeadersNewestFirst(
  session: ImapSession,
  path: string,
  options: HeaderFetchOptions,
  onBatch: (batch: RemoteMessageHeader[]) => Promise<void> | void,
): Promise<{ uidValidity: bigint; delivered: number }> {
  const requested = Math.floor(options.batchSize ?? DEFAULT_HEADER_BATCH_SIZE);
  const batchSize = Math.min(Math.max(requested, 1), MAX_HEADER_BATCH_SIZE);
  const deliverEvery = Math.min(Math.max(Math.floor(options.deliverEvery ?? batchSize), 1), batchSize);
  return session.withMailbox(
    path,
    async (mailbox) => {
      const ranges = options.uids ?? (await searchUidRanges(session, options.sinceUid ?? 0));
      let delivered = 0;
      for (const batchRanges of descendingBatches(ranges, batchSize)) {
        // A UID is handed over once per batch even if the server sends it twice.
        const seen = new Set<number>();
        let pending: RemoteMessageHeader[] = [];
        const handOver = async (): Promise<void> => {
          if (pending.length === 0) return; // expunged meanwhile
          const rows = pending.sort((a, b) => b.uid - a.uid);
          pending = [];
          await onBatch(rows);
          delivered += rows.length;
        };
        for await (const row of session.client.fetch(formatRanges(batchRanges), HEADER_QUERY, {
          uid: true,
        })) {
          // Unsolicited FETCH rows (another client's flag change) may arrive mid-command.
          if (!rangesInclude(batchRanges, row.uid) || seen.has(row.uid)) continue;
          const header = toRemoteMessageHeader(row);
          if (!header) continue;
          seen.add(header.uid);
          pending.push(header);
          if (pending.length >= deliverEvery) await handOver();
        }
        await handOver();
      }
      return { uidValidity: mailbox.uidValidity, delivered };
    },
    { expectedUidValidity: options.uidValidity },
  );
}

export interface RemoteSource {
  uid: number;
  /** The full RFC 5322 message, byte for byte (BODY.PEEK[], so \Seen is not set: RFC 3501 §6.4.5). */
  source: Buffer;
}

/**
 * Full sources of `uids`, handed to `onMessage` one at a time as they arrive; the next one is read
 * only after `onMessage` resolved. Batches go from the highest UIDs down (within a batch, in the
 * server's order). Returns the UIDs the server no longer has. `onMessage` must not issue commands
 * on this session.
 */
export async function fetchSource(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  onMessage: (message: RemoteSource) => Promise<void> | void,
  options: { uidValidity?: bigint; batchSize?: number } = {},
): Promise<{ missing: number[] }> {
  const requested = rangesFromUids(uids);
  if (requested.length === 0) return { missing: [] };
  return session.withMailbox(
    path,
    async () => {
      const delivered = new Set<number>();
      const batchSize = Math.min(
        Math.max(Math.floor(options.batchSize ?? SOURCE_BATCH_SIZE), 1),
        MAX_SOURCE_BATCH_SIZE,
      );
      for (const batchRanges of descendingBatches(requested, batchSize)) {
        const set = formatRanges(batchRanges);
        for await (const row of session.client.fetch(set, { uid: true, source: true }, { uid: true })) {
          if (!row.source || !rangesInclude(batchRanges, row.uid) || delivered.has(row.uid)) continue;
          delivered.add(row.uid);
          await onMessage({ uid: row.uid, source: row.source });
        }
      }
      const missing = [...new Set(uids)].filter((uid) => !delivered.has(uid)).sort((a, b) => b - a);
      return { missing };
    },
    { expectedUidValidity: options.uidValidity },
  );
}

/**
 * Every UID in `path` as ranges (UID SEARCH ALL, ESEARCH when offered): what the sync engine
 * compares its stored UIDs with to find expunged and missing messages (RFC 4549 §4.3).
 */
export async function listUids(
  session: ImapSession,
  path: string,
  options: { uidValidity?: bigint } = {},
): Promise<{ uidValidity: bigint; exists: number; uids: UidRange[] }> {
  return session.withMailbox(
    path,
    async (mailbox) => ({
      uidValidity: mailbox.uidValidity,
      exists: mailbox.exists,
      uids: await searchUidRanges(session),
    }),
    { expectedUidValidity: options.uidValidity },
  );
}
