/**
 * Copies of messages as new rows: each copy gets its own .eml file (written durably before its
 * row commits, eml-files.ts) and its own search entry, so deleting one copy never touches the
 * other. For an IMAP destination the copy is queued for the server: UID COPY within the account
 * (the server copies its own bytes), APPEND from another account.
 */
import { MailError } from '../../domain/errors';
import type { Folder } from '../../domain/folder';
import type { FolderId, MessageId } from '../../domain/ids';
import { HEADERS_ONLY_EML_PATH, type EmlWriteBatch } from '../../store/eml-files';
import type { StoredMessage } from '../../store/message-rows';
import type { NewMessage } from '../../store/messages-repo';
import type { PendingMessage } from '../../store/pending-actions-repo';
import type { SearchDocument } from '../../store/search';
import { parseForIngest, toSearchDocument } from '../message-ingest';
import { folderLookup, isImap, type MailActionDeps } from './action-context';

/** Messages read, written and committed together: bounds memory for a copy of thousands. */
export const COPY_CHUNK_SIZE = 200;

interface PreparedCopy {
  source: StoredMessage;
  emlPath: string;
  document: SearchDocument;
}

/** The search text of a message whose body is not here: what its row knows. */
function headerDocument(message: StoredMessage): SearchDocument {
  return {
    subject: message.subject,
    from: message.from ? [message.from] : [],
    to: message.to,
    cc: message.cc,
    body: '',
    attachmentNames: [],
  };
}

function copyRow(source: StoredMessage, target: Folder, emlPath: string): NewMessage {
  return {
    accountId: target.accountId,
    folderId: target.id,
    messageIdHeader: source.messageIdHeader,
    subject: source.subject,
    from: source.from,
    to: source.to,
    cc: source.cc,
    date: source.date,
    receivedAt: source.receivedAt,
    size: source.size,
    flags: source.flags,
    hasAttachments: source.hasAttachments,
    threadKey: source.threadKey,
    snippet: source.snippet,
    emlPath,
    // A copy is a new message on the server: its UID there comes from COPYUID/APPENDUID.
    imapUid: null,
    pop3Uidl: null,
    parseState: source.parseState,
  };
}

/**
 * Copies `sources` into `target`. Returns the new ids by source id. Messages known only by their
 * headers can be copied within their IMAP account (the server has the body) but not elsewhere.
 */
export async function copyMessages(
  deps: MailActionDeps,
  sources: readonly StoredMessage[],
  target: Folder,
): Promise<Map<MessageId, MessageId>> {
  const bodyless = sources.find(
    (message) => message.emlPath === HEADERS_ONLY_EML_PATH && message.accountId !== target.accountId,
  );
  if (bodyless) {
    throw new MailError(
      'BAD_REQUEST',
      'Some of these messages have not been downloaded yet, so they cannot go to another account. Open them first.',
      { detail: `message ${bodyless.id}`, retryable: false },
    );
  }
  const copies = new Map<MessageId, MessageId>();
  for (let start = 0; start < sources.length; start += COPY_CHUNK_SIZE) {
    const chunk = sources.slice(start, start + COPY_CHUNK_SIZE);
    const batch = deps.store.emlFiles.beginBatch();
    try {
      const prepared = await prepare(deps, chunk, batch);
      await batch.flush();
      deps.store.transaction(() => {
        for (const [from, to] of commit(deps, prepared, target)) copies.set(from, to);
      });
    } catch (error) {
      await batch.discard();
      throw error;
    }
  }
  if (isImap(deps, target.accountId)) deps.queue.announce([target.accountId]);
  return copies;
}

async function prepare(
  deps: MailActionDeps,
  chunk: readonly StoredMessage[],
  batch: EmlWriteBatch,
): Promise<PreparedCopy[]> {
  const prepared: PreparedCopy[] = [];
  for (const source of chunk) {
    if (source.emlPath === HEADERS_ONLY_EML_PATH) {
      prepared.push({ source, emlPath: HEADERS_ONLY_EML_PATH, document: headerDocument(source) });
      continue;
    }
    const raw = await deps.store.emlFiles.read(source.emlPath);
    const emlPath = await batch.write(raw);
    prepared.push({ source, emlPath, document: toSearchDocument(parseForIngest(raw)) });
  }
  return prepared;
}

/** Inserts the rows and queues the server side; runs inside the caller's transaction. */
function commit(
  deps: MailActionDeps,
  prepared: readonly PreparedCopy[],
  target: Folder,
): Map<MessageId, MessageId> {
  const copies = new Map<MessageId, MessageId>();
  const folderOf = folderLookup(deps);
  const serverCopies: PendingMessage[] = [];
  const appends: PendingMessage[] = [];
  for (const { source, emlPath, document } of prepared) {
    const id = deps.store.messages.insert(copyRow(source, target, emlPath));
    deps.store.search.index(id, document);
    copies.set(source.id, id);
    if (source.accountId === target.accountId) {
      serverCopies.push({
        messageId: source.id,
        folderPath: folderOf(source.folderId as FolderId).path,
        uid: source.imapUid,
        targetMessageId: id,
      });
    } else {
      appends.push({ messageId: id, folderPath: target.path, uid: null, targetMessageId: id });
    }
  }
  if (isImap(deps, target.accountId)) {
    const params = { destination: target.path };
    if (serverCopies.length > 0) {
      deps.queue.enqueue({ accountId: target.accountId, kind: 'copy', params, messages: serverCopies });
    }
    if (appends.length > 0) {
      deps.queue.enqueue({ accountId: target.accountId, kind: 'append', params, messages: appends });
    }
  }
  return copies;
}
