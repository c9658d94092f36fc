import type { ImapFlow } from 'imapflow';
import type { ImapSession } from './session';
import { sequenceSetChunks } from './uid-set';

/**
 * Changes the sync engine replays to the server: STORE (RFC 3501 §6.4.6), COPY (§6.4.7), MOVE
 * (RFC 6851), expunge of chosen UIDs (UID EXPUNGE, RFC 4315 §2.1) and APPEND (RFC 3501 §6.3.11).
 * UIDs travel as compact sequence sets, split so no command line grows past a few KB.
 */

export interface CopyResult {
  /** Source UID -> UID in the destination, from COPYUID (RFC 4315 §3); empty without UIDPLUS. */
  uidMap: Map<number, number>;
  destinationUidValidity: bigint | null;
}

export interface AppendResult {
  /** From APPENDUID (RFC 4315 §3); null when the server does not say. */
  uid: number | null;
  uidValidity: bigint | null;
}

type StoreMethod = 'messageFlagsSet' | 'messageFlagsAdd' | 'messageFlagsRemove';

const DELETED = '\\Deleted';

async function store(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  flags: readonly string[],
  method: StoreMethod,
): Promise<void> {
  const chunks = sequenceSetChunks(uids);
  if (chunks.length === 0) return;
  await session.withMailbox(path, async () => {
    for (const set of chunks) {
      // .SILENT: our own change needs no echo (RFC 3501 §6.4.6).
      const done = await session.client[method](set, [...flags], { uid: true, silent: true });
      if (!done) throw session.refused(`UID STORE ${set}`);
    }
  });
}

/** Replaces the flags of `uids` with exactly `flags` (IMAP names, e.g. "\\Seen", "$Forwarded"). */
export function setFlags(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  flags: readonly string[],
): Promise<void> {
  return store(session, path, uids, flags, 'messageFlagsSet');
}

export async function addFlags(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  flags: readonly string[],
): Promise<void> {
  if (flags.length > 0) await store(session, path, uids, flags, 'messageFlagsAdd');
}

export async function removeFlags(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  flags: readonly string[],
): Promise<void> {
  if (flags.length > 0) await store(session, path, uids, flags, 'messageFlagsRemove');
}

async function copyOrMove(
  session: ImapSession,
  uids: readonly number[],
  destination: string,
  method: 'messageCopy' | 'messageMove',
): Promise<CopyResult> {
  const result: CopyResult = { uidMap: new Map(), destinationUidValidity: null };
  for (const set of sequenceSetChunks(uids)) {
    const response = await session.client[method](set, destination, { uid: true });
    if (!response) throw session.refused(`UID ${method === 'messageCopy' ? 'COPY' : 'MOVE'} ${set}`);
    for (const [from, to] of response.uidMap ?? []) result.uidMap.set(from, to);
    result.destinationUidValidity = response.uidValidity ?? result.destinationUidValidity;
  }
  return result;
}

export async function copy(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  destination: string,
): Promise<CopyResult> {
  if (uids.length === 0) return { uidMap: new Map(), destinationUidValidity: null };
  return session.withMailbox(path, () => copyOrMove(session, uids, destination, 'messageCopy'));
}

/**
 * MOVE when offered (RFC 6851 §3.1); otherwise COPY, then \Deleted and expunge of just those UIDs
 * (RFC 6851 §3.3). Without UIDPLUS the fallback may leave the originals marked \Deleted (see
 * deleteForever) rather than expunge someone else's messages; `expunged` says which happened.
 */
export async function move(
  session: ImapSession,
  path: string,
  uids: readonly number[],
  destination: string,
): Promise<CopyResult & { expunged: boolean }> {
  if (uids.length === 0) return { uidMap: new Map(), destinationUidValidity: null, expunged: true };
  return session.withMailbox(path, async () => {
    if (session.capabilities.move) {
      return { ...(await copyOrMove(session, uids, destination, 'messageMove')), expunged: true };
    }
    const copied = await copyOrMove(session, uids, destination, 'messageCopy');
    return { ...copied, expunged: await expungeSelected(session, uids) };
  });
}

/**
 * Removes `uids` for good: STORE +FLAGS (\Deleted), then UID EXPUNGE of exactly those UIDs
 * (RFC 4315 §2.1). Without UIDPLUS a plain EXPUNGE (RFC 3501 §6.4.3) would also remove every other
 * message marked \Deleted (by another client, or awaiting the user's "compact"), so it is sent
 * only when no other message is marked; otherwise the messages stay marked and `expunged` is false.
 */
export async function deleteForever(
  session: ImapSession,
  path: string,
  uids: readonly number[],
): Promise<{ expunged: boolean }> {
  if (uids.length === 0) return { expunged: true };
  return session.withMailbox(path, async () => ({ expunged: await expungeSelected(session, uids) }));
}

/** In the selected mailbox: mark and expunge `uids`, as above. */
async function expungeSelected(session: ImapSession, uids: readonly number[]): Promise<boolean> {
  const { client } = session;
  const chunks = sequenceSetChunks(uids);
  if (session.capabilities.uidplus) {
    // imapflow: STORE +FLAGS (\Deleted), then UID EXPUNGE <set> because UIDPLUS is offered.
    for (const set of chunks)
      if (!(await client.messageDelete(set, { uid: true }))) throw session.refused(`UID EXPUNGE ${set}`);
    return true;
  }
  for (const set of chunks) await markDeleted(session, client, set);
  const marked = await session.command((c) => c.search({ deleted: true }, { uid: true }));
  if (!Array.isArray(marked)) throw session.refused('UID SEARCH DELETED');
  const ours = new Set(uids);
  if (!marked.every((uid) => ours.has(uid))) return false;
  // Only our messages are marked: a plain EXPUNGE removes exactly them.
  const first = chunks[0];
  if (first !== undefined && !(await client.messageDelete(first, { uid: true })))
    throw session.refused('EXPUNGE');
  return true;
}

async function markDeleted(session: ImapSession, client: ImapFlow, set: string): Promise<void> {
  if (!(await client.messageFlagsAdd(set, [DELETED], { uid: true, silent: true }))) {
    throw session.refused(`UID STORE ${set} +FLAGS (\\Deleted)`);
  }
}

/** APPEND with flags and INTERNALDATE; the new UID comes from APPENDUID (RFC 4315 §3). */
export async function append(
  session: ImapSession,
  path: string,
  raw: Buffer,
  flags: readonly string[] = [],
  date?: Date,
): Promise<AppendResult> {
  const response = await session.command((client) => client.append(path, raw, [...flags], date));
  if (!response) throw session.refused(`APPEND ${path}`);
  return { uid: response.uid ?? null, uidValidity: response.uidValidity ?? null };
}
