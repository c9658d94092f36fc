/**
 * "Open" on a message whose body is still on the server: its source is fetched by UID over a
 * connection kept for this (so a running sync does not delay it), written durably, and put in
 * place of the headers-only row under the same id, before the reader reads the .eml.
 */
import { MailError, isMailError } from '../../domain/errors';
import { fetchSource, type ImapSession } from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';
import type { StoredMessage } from '../../store/message-rows';
import { BodyWriter, type BodyStore } from './body-sync';

export type OpenBodyStore = BodyStore & Pick<SqliteMailStore, 'folders'>;

const OFFLINE_CODES = new Set(['CONNECT_FAILED', 'DNS_FAILED', 'CONNECTION_LOST', 'TIMEOUT', 'TLS_FAILED']);

export async function downloadOneBody(
  store: OpenBodyStore,
  message: StoredMessage,
  session: () => Promise<ImapSession>,
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
