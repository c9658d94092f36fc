import { MailError } from '../../domain/errors';
import { flagsToImap } from '../../domain/flags';
import type { FolderId, MessageId } from '../../domain/ids';
import {
  append,
  createFolder,
  fetchHeadersNewestFirst,
  folderStatus,
  listFolders,
  type ImapSession,
  type RemoteMessageHeader,
} from '../../protocols/imap';
import type { StoredMessage } from '../../store/message-rows';
import type { SqliteMailStore } from '../../store/mail-store';
import { summaryHeaders } from '../imap-sync/header-rows';
import { mapFolders, subtreeOf, type FolderTarget } from './folder-mapping';
import type { UploadJournal } from './upload-journal';

/**
 * "Upload the mail already here": after an account switched from POP3 to IMAP, the mail it had
 * downloaded (kept in Local Folders) is copied to the IMAP server with APPEND (RFC 3501 §6.3.11),
 * each message into the matching folder, with its flags and its arrival time as INTERNALDATE.
 * Each message reaches the server once, even across interruptions: the journal records every
 * APPEND before it is sent and after the server confirmed it, and a message whose confirmation
 * was lost is looked for on the server before it is sent again. The local copies stay where they
 * are; nothing is deleted.
 */

export interface UploadProgress {
  /** Messages handled so far (uploaded now, or found done by an earlier run). */
  done: number;
  total: number;
}

export interface UploadSummary {
  total: number;
  /** Sent by this run. */
  uploaded: number;
  /** Already on the server from an earlier, interrupted run. */
  alreadyThere: number;
}

export interface LocalMailUploadOptions {
  store: SqliteMailStore;
  session: ImapSession;
  journal: UploadJournal;
  /** The Local Folders folder that holds the kept mail (the account's address). */
  rootFolderId: FolderId;
  onProgress?: (progress: UploadProgress) => void;
  /** Stops between messages (the message being sent finishes first). */
  signal?: AbortSignal;
}

/** Message ids are read from the store one page at a time. */
const PAGE_SIZE = 500;
/** Bounds the paging loop of one folder: 10 million messages. */
const MAX_PAGES = 20_000;
/** Only summaries above the recorded UIDNEXT are read when looking for a lost confirmation. */
const LOOKUP_BATCH_SIZE = 200;

/** "<a@b>" and "a@b" name the same message. */
function bareMessageId(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim().replace(/^<|>$/g, '');
  return trimmed.length === 0 ? null : trimmed;
}

function sameSecond(a: Date | null, ms: number): boolean {
  return a !== null && Math.floor(a.getTime() / 1000) === Math.floor(ms / 1000);
}

function isSameMessage(remote: RemoteMessageHeader, local: StoredMessage, rawSize: number): boolean {
  const localId = bareMessageId(local.messageIdHeader);
  const remoteId = summaryHeaders(remote).messageId;
  if (localId !== null && remoteId !== null) return localId === remoteId;
  // Without a Message-ID: the same size and arrival time, as we sent them.
  return remote.size === rawSize && sameSecond(remote.internalDate, local.receivedAt);
}

function messageIdsOf(store: SqliteMailStore, folderId: FolderId): MessageId[] {
  const ids: MessageId[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const { rows } = store.messages.page(folderId, page * PAGE_SIZE, PAGE_SIZE, {
      by: 'date',
      direction: 'asc',
    });
    ids.push(...rows.map((row) => row.id));
    if (rows.length < PAGE_SIZE) break;
  }
  return ids;
}

/** True when an APPEND whose confirmation was lost did land at or above `uidFloor`. */
async function landedEarlier(
  session: ImapSession,
  path: string,
  uidFloor: number,
  message: StoredMessage,
  rawSize: number,
): Promise<boolean> {
  let found = false;
  await fetchHeadersNewestFirst(
    session,
    path,
    { sinceUid: Math.max(uidFloor - 1, 0), batchSize: LOOKUP_BATCH_SIZE },
    (batch) => {
      if (batch.some((remote) => isSameMessage(remote, message, rawSize))) found = true;
    },
  );
  return found;
}

export async function uploadLocalMail(options: LocalMailUploadOptions): Promise<UploadSummary> {
  const { store, session } = options;
  const root = store.folders.get(options.rootFolderId);
  if (!root) {
    throw new MailError('NOT_FOUND', 'The folder with the mail to upload no longer exists.', {
      retryable: false,
    });
  }
  const locals = subtreeOf(root, store.folders.list(root.accountId));
  const targets = mapFolders(root, locals, await listFolders(session));
  const work = targets.map((target) => ({ target, ids: messageIdsOf(store, target.local.id) }));
  const total = work.reduce((sum, { ids }) => sum + ids.length, 0);
  const summary: UploadSummary = { total, uploaded: 0, alreadyThere: 0 };
  let done = 0;
  options.onProgress?.({ done, total });

  const created = new Set<string>();
  for (const { target, ids } of work) {
    for (const id of ids) {
      if (options.signal?.aborted) {
        throw new MailError('CANCELLED', 'The upload was stopped. Start it again to continue.', {
          retryable: true,
        });
      }
      const outcome = await uploadOne(options, target, id, created);
      if (outcome === 'uploaded') summary.uploaded++;
      if (outcome === 'alreadyThere') summary.alreadyThere++;
      done++;
      options.onProgress?.({ done, total });
    }
  }
  return summary;
}

async function ensureFolder(session: ImapSession, target: FolderTarget, created: Set<string>): Promise<void> {
  if (target.exists || created.has(target.remotePath)) return;
  await createFolder(session, target.remotePath);
  created.add(target.remotePath);
}

async function uploadOne(
  options: LocalMailUploadOptions,
  target: FolderTarget,
  id: MessageId,
  created: Set<string>,
): Promise<'uploaded' | 'alreadyThere' | 'gone'> {
  const { store, session, journal } = options;
  const recorded = journal.stateOf(id);
  if (recorded?.state === 'done') return 'alreadyThere';
  const message = store.messages.get(id);
  // Deleted here since the list was read: nothing to send.
  if (message === null) return 'gone';
  const raw = await store.emlFiles.read(message.emlPath);
  await ensureFolder(session, target, created);
  if (recorded?.state === 'appending') {
    if (await landedEarlier(session, recorded.path, recorded.uidFloor, message, raw.length)) {
      await journal.done(id, recorded.path);
      return 'alreadyThere';
    }
  }
  const { uidNext } = await folderStatus(session, target.remotePath);
  // Recorded first: if the confirmation is lost, the next run knows where to look (see the journal).
  await journal.appending(id, target.remotePath, uidNext);
  // \Recent cannot be set by a client (RFC 3501 §2.3.2); \Deleted would lose the message at expunge.
  const flags = flagsToImap({ ...message.flags, deleted: false });
  await append(session, target.remotePath, raw, flags, new Date(message.receivedAt));
  await journal.done(id, target.remotePath);
  return 'uploaded';
}
