/**
 * "Open" on a message whose body is still on the server: its source is fetched by UID over a
 * connection kept for this (so a running sync does not delay it), written, and put in place of
 * the headers-only row under the same id, before the reader reads the .eml. Body files are a
 * cache written without fsync (body-sync.ts): one whose length is not the one recorded in its row
 * (cut short or lost in a crash or power cut) is downloaded again the same way.
 */
import { MailError, isMailError } from '../../domain/errors';
import { fetchSource, type ImapSession } from '../../protocols/imap';
import type { MessageId } from '../../domain/ids';
import { HEADERS_ONLY_EML_PATH } from '../../store/eml-files';
import type { SqliteMailStore } from '../../store/mail-store';
import type { StoredMessage } from '../../store/message-rows';
import { BodyWriter, type BodyStore } from './body-sync';

export type OpenBodyStore = BodyStore & Pick<SqliteMailStore, 'folders'>;

const OFFLINE_CODES = new Set(['CONNECT_FAILED', 'DNS_FAILED', 'CONNECTION_LOST', 'TIMEOUT', 'TLS_FAILED']);

/** Makes sure a whole, untorn body of this IMAP message is here before it is read. */
export async function ensureBodyHere(
  store: OpenBodyStore,
  messageId: MessageId,
  session: () => Promise<ImapSession>,
): Promise<void> {
  const stored = store.messages.get(messageId);
  if (!stored) return; // the reader reports the missing message itself
  if (stored.emlPath === HEADERS_ONLY_EML_PATH) {
    await downloadOneBody(store, stored, session);
    return;
  }
  // A row still waiting for its UID has no server copy to compare with: its file is all there is.
  if (stored.imapUid === null) return;
  const size = await store.emlFiles.size(stored.emlPath);
  if (size === stored.size) return;
  await downloadOneBody(store, stored, session, { replacing: stored.emlPath });
  await store.emlFiles.remove(stored.emlPath).catch(() => undefined);
}

export async function downloadOneBody(
  store: OpenBodyStore,
  message: StoredMessage,
  session: () => Promise<ImapSession>,
  options: { replacing?: string } = {},
): Promise<void> {
  const folder = store.folders.get(message.folderId);
  if (message.imapUid === null || !folder) {
    throw new MailError(
      'NOT_FOUND',
      'This message is still being moved on the server; it can be opened once that is done.',
      { retryable: true, detail: `message ${message.id} has no UID yet` },
    );
  }
  const uidValidity = store.imapSync.folderState(folder.id).uidValidity ?? undefined;
  let found = false;
  try {
    const connection = await session();
    const writer = new BodyWriter(store, () => undefined);
    const { missing } = await fetchSource(
      connection,
      folder.path,
      [message.imapUid],
      async ({ source }) => {
        found = true;
        // Only now that the server gave the message is the damaged file let go of.
        if (options.replacing !== undefined) store.imapSync.detachBody(message.id, options.replacing);
        await writer.add(message.id, source);
      },
      { uidValidity },
    );
    await writer.drain();
    if (!found || missing.length > 0) {
      throw new MailError('NOT_FOUND', 'This message is no longer on the mail server.', {
        retryable: false,
        detail: `${folder.path} UID ${message.imapUid}`,
      });
    }
  } catch (error) {
    const mailError = isMailError(error) ? error : new MailError('INTERNAL', String(error));
    if (OFFLINE_CODES.has(mailError.code)) {
      throw new MailError(
        mailError.code,
        'This message has not been downloaded yet, and the mail server cannot be reached. Try again when you are online.',
        { retryable: true, detail: mailError.detail },
      );
    }
    throw mailError;
  }
}
