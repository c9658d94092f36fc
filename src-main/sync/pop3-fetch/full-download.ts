/**
 * A message stored as headers only (above the account's size limit) downloaded in full when it is
 * opened: found on the server by its unique-id (RFC 1939 §7, message numbers change between
 * sessions), retrieved, written durably, and put in place of the partial copy under the same row
 * id; the ledger then calls it downloaded, so the account's options apply to it like any other.
 */
import { MailError } from '../../domain/errors';
import type { MessageId } from '../../domain/ids';
import type { Pop3Client } from '../../protocols/pop3';
import type { SqliteMailStore } from '../../store/mail-store';
import type { StoredMessage } from '../../store/message-rows';
import { parseForIngest, toMessageContent, toSearchDocument } from '../message-ingest';
import type { Pop3AccountSettings } from './account-settings';
import { deletesRightAfterStoring } from './check-plan';

export type FullDownloadStore = Pick<
  SqliteMailStore,
  'messages' | 'search' | 'emlFiles' | 'pop3Uidls' | 'transaction' | 'syncToDisk'
>;

function notOnServer(detail: string): MailError {
  return new MailError(
    'NOT_FOUND',
    'The rest of this message is no longer on the mail server; only its headers were downloaded.',
    { detail, retryable: false },
  );
}

/** The ledger entry of a headers-only message of this account, or null when it is already whole. */
export function headersOnlyUidl(
  store: Pick<SqliteMailStore, 'pop3Uidls'>,
  settings: Pick<Pop3AccountSettings, 'accountId'>,
  messageId: MessageId,
): string | null {
  const entry = store.pop3Uidls.forMessage(messageId);
  if (!entry || entry.state !== 'headers_only') return null;
  if (entry.accountId !== settings.accountId) {
    throw new MailError('BAD_REQUEST', 'This message belongs to another account.', {
      detail: `message ${messageId}`,
      retryable: false,
    });
  }
  return entry.uidl;
}

/** Downloads the whole message over an open session and QUITs; returns the updated row. */
export async function completeHeadersOnly(
  store: FullDownloadStore,
  settings: Pop3AccountSettings,
  client: Pop3Client,
  messageId: MessageId,
  uidl: string,
): Promise<StoredMessage> {
  const uidls = await client.uidl();
  if (uidls === null) throw notOnServer('the server no longer offers UIDL');
  const number = [...uidls].find(([, id]) => id === uidl)?.[0];
  if (number === undefined) throw notOnServer(`unique-id ${uidl} is not in the maildrop`);
  const raw = await client.retr(number);
  const emlPath = await store.emlFiles.write(raw);
  const parsed = parseForIngest(raw);
  const previous = store.transaction(() => {
    const current = store.messages.get(messageId);
    if (!current) return null;
    const content = toMessageContent(parsed, { emlPath, size: raw.length, receivedAt: current.receivedAt });
    store.messages.replaceContent(messageId, content);
    store.search.reindex(messageId, toSearchDocument(parsed));
    store.pop3Uidls.setState(settings.accountId, uidl, 'downloaded');
    return current;
  });
  if (previous === null) {
    await store.emlFiles.remove(emlPath);
    throw new MailError('NOT_FOUND', 'This message was deleted.', {
      detail: `message ${messageId}`,
      retryable: false,
    });
  }
  await store.emlFiles.remove(previous.emlPath).catch(() => undefined); // an orphan at worst
  // RFC 1939 §6: the message is now whole here, so a download-and-delete account removes it.
  if (deletesRightAfterStoring(settings)) await client.dele(number);
  store.syncToDisk();
  // The message is whole here whatever QUIT says; a DELE it did not apply is repeated next check.
  await client.quit().catch(() => undefined);
  const updated = store.messages.get(messageId);
  if (!updated)
    throw new MailError('NOT_FOUND', 'This message was deleted.', { detail: `message ${messageId}` });
  return updated;
}
