/**
 * Replays queued message actions to the server: flags (UID STORE, RFC 3501 §6.4.6), move (MOVE,
 * RFC 6851, or COPY + expunge), copy (UID COPY), delete for good (\Deleted + UID EXPUNGE,
 * RFC 4315 §2.1) and append (RFC 3501 §6.3.11). The UIDs of messages in their new folder come
 * back from COPYUID/APPENDUID (RFC 4315 §3) and are handed to later actions and to the rows.
 *
 * Conflicts are resolved here, quietly, and so that nothing is lost:
 * - a message deleted elsewhere (its UID or its whole folder is gone): flags and deletes have
 *   nothing left to do; a move or copy puts the local copy into the destination with APPEND,
 *   because the user's last word on that message was "I want it there";
 * - a destination folder deleted elsewhere is created again (the local one still exists);
 * - a command that may already have run before a crash (state 'sending') never APPENDs a second
 *   copy: the destination is searched by Message-ID first.
 */
import type { SettableFlag } from '../../domain/flags';
import { flagsToImap } from '../../domain/flags';
import type { MessageId } from '../../domain/ids';
import {
  addFlags,
  append,
  copy,
  deleteForever,
  move,
  removeFlags,
  type ImapSession,
} from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';
import type { LearnedUid, PendingAction, PendingMessage } from '../../store/pending-actions-repo';
import { paramsOf } from './action-params';
import type { ServerFolders } from './server-folders';

export interface ReplayContext {
  session: ImapSession;
  store: Pick<SqliteMailStore, 'messages' | 'emlFiles'>;
  folders: ServerFolders;
  /** True when a crash may have interrupted this very action after it reached the server. */
  mayHaveRun: boolean;
}

export interface ReplayOutcome {
  learned: LearnedUid[];
}

const IMAP_FLAG: Readonly<Record<SettableFlag, string>> = {
  seen: '\\Seen',
  flagged: '\\Flagged',
  answered: '\\Answered',
  forwarded: '$Forwarded',
};

interface Located {
  item: PendingMessage;
  uid: number;
}

/**
 * The action's messages that can be named by UID, by the folder they are in on the server, for the
 * folders that still exist there. Left out: messages whose UID is still unknown (an earlier move
 * whose server gave no COPYUID), which the sync finds by Message-ID; and UIDs queued under another
 * UIDVALIDITY (the folder was replaced since, RFC 3501 §2.3.1.1), which now name other messages.
 * `gone` receives the messages of folders that no longer exist on the server.
 */
async function onServer(
  items: readonly PendingMessage[],
  ctx: ReplayContext,
  gone: PendingMessage[] = [],
): Promise<Map<string, Located[]>> {
  const groups = new Map<string, Located[]>();
  for (const item of items) {
    if (item.uid === null) continue;
    const group = groups.get(item.folderPath) ?? [];
    group.push({ item, uid: item.uid });
    groups.set(item.folderPath, group);
  }
  for (const [path, located] of [...groups]) {
    if (!(await ctx.folders.has(path))) {
      gone.push(...located.map((entry) => entry.item));
      groups.delete(path);
      continue;
    }
    if (located.every((entry) => (entry.item.uidValidity ?? null) === null)) continue;
    const current = await ctx.folders.uidValidity(path);
    const valid = located.filter((entry) => (entry.item.uidValidity ?? current) === current);
    if (valid.length > 0) groups.set(path, valid);
    else groups.delete(path);
  }
  return groups;
}

export async function replayFlags(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
  const { flag, value } = paramsOf(action, 'flags');
  // A folder deleted elsewhere took its messages with it: there is nothing left to flag.
  for (const [path, located] of await onServer(action.messages, ctx)) {
    const uids = located.map((entry) => entry.uid);
    // A UID expunged elsewhere is simply not matched by STORE (RFC 3501 §6.4.8): no error.
    if (value) await addFlags(ctx.session, path, uids, [IMAP_FLAG[flag]]);
    else await removeFlags(ctx.session, path, uids, [IMAP_FLAG[flag]]);
  }
  return { learned: [] };
}

export async function replayExpunge(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
  paramsOf(action, 'expunge');
  for (const [path, located] of await onServer(action.messages, ctx)) {
    await deleteForever(
      ctx.session,
      path,
      located.map((entry) => entry.uid),
    );
  }
  return { learned: [] };
}

export async function replayMoveOrCopy(
  action: PendingAction,
  ctx: ReplayContext,
  kind: 'move' | 'copy',
): Promise<ReplayOutcome> {
  const { destination } = paramsOf(action, kind);
  const learned: LearnedUid[] = [];
  const missing: PendingMessage[] = [];
  await ctx.folders.ensure(destination);
  for (const [path, located] of await onServer(action.messages, ctx, missing)) {
    const uids = located.map((entry) => entry.uid);
    const result =
      kind === 'move'
        ? await move(ctx.session, path, uids, destination)
        : await copy(ctx.session, path, uids, destination);
    for (const { item, uid } of located) {
      const newUid = result.uidMap.get(uid);
      if (newUid !== undefined)
        learned.push({ messageId: item.targetMessageId ?? item.messageId, uid: newUid });
      // With UIDPLUS every message copied is in COPYUID; one left out was not there any more.
      else if (ctx.session.capabilities.uidplus) missing.push(item);
    }
  }
  for (const item of missing) {
    const uid = await appendLocalCopy(ctx, destination, item.targetMessageId ?? item.messageId);
    if (uid !== null) learned.push({ messageId: item.targetMessageId ?? item.messageId, uid });
  }
  return { learned };
}

export async function replayAppend(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
  const { destination } = paramsOf(action, 'append');
  await ctx.folders.ensure(destination);
  const learned: LearnedUid[] = [];
  for (const item of action.messages) {
    const messageId = item.targetMessageId ?? item.messageId;
    const uid = await appendLocalCopy(ctx, destination, messageId);
    if (uid !== null) learned.push({ messageId, uid });
  }
  return { learned };
}

/**
 * Puts the local copy of `messageId` into `destination` and returns its UID there (null when
 * unknown or when there is no local copy to send: deleted here since, or only its headers).
 */
async function appendLocalCopy(
  ctx: ReplayContext,
  destination: string,
  messageId: MessageId,
): Promise<number | null> {
  const stored = ctx.store.messages.get(messageId);
  if (!stored || stored.emlPath === '') return null;
  if (ctx.mayHaveRun) {
    const already = stored.messageIdHeader
      ? await findByMessageId(ctx.session, destination, stored.messageIdHeader)
      : null;
    // Without a Message-ID there is no telling whether the first attempt arrived; a missing copy
    // on the server is better than two (the local one stays either way).
    if (already !== null || !stored.messageIdHeader) return already;
  }
  const raw = await ctx.store.emlFiles.read(stored.emlPath);
  const result = await append(
    ctx.session,
    destination,
    raw,
    flagsToImap(stored.flags),
    new Date(stored.receivedAt),
  );
  return result.uid;
}

/** UID SEARCH HEADER Message-ID (RFC 3501 §6.4.4) in `path`; the newest match, or null. */
async function findByMessageId(
  session: ImapSession,
  path: string,
  messageId: string,
): Promise<number | null> {
  const uids = await session.withMailbox(path, () =>
    session.command((client) => client.search({ header: { 'message-id': messageId } }, { uid: true })),
  );
  if (!Array.isArray(uids) || uids.length === 0) return null;
  return Math.max(...uids);
}
