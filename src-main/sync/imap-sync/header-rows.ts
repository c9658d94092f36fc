/**
 * A server's message summary (ENVELOPE, FLAGS, BODYSTRUCTURE, RFC822.SIZE, References) -> the row
 * the message list shows, with no body yet: the .eml comes in the body phase (or when the message
 * is opened) and adds the snippet; search indexes the row in the background (007-search.sql).
 */
import type { Folder } from '../../domain/folder';
import type { Address } from '../../domain/message';
import { threadKeyOf } from '../../domain/message';
import { normaliseMessageId } from '../../mime/header-values';
import type { RemoteAddress, RemoteBodyPart, RemoteMessageHeader } from '../../protocols/imap';
import { HEADERS_ONLY_EML_PATH } from '../../store/eml-files';
import type { NewMessage } from '../../store/messages-repo';

function toAddress(remote: RemoteAddress): Address | null {
  if (remote.address === null && remote.name === null) return null;
  return { name: remote.name ?? '', address: remote.address ?? '' };
}

function toAddresses(list: readonly RemoteAddress[]): Address[] {
  return list.map(toAddress).filter((a): a is Address => a !== null);
}

/**
 * RFC 3501 §7.4.2 BODYSTRUCTURE: a part is an attachment when its disposition says so (RFC 2183),
 * or when it is a named, non-text leaf without an inline disposition.
 */
export function hasAttachmentPart(part: RemoteBodyPart | null): boolean {
  if (part === null) return false;
  if (part.children.length > 0) return part.children.some(hasAttachmentPart);
  if (part.disposition === 'attachment') return true;
  const named = part.dispositionParameters.filename !== undefined || part.parameters.name !== undefined;
  return named && part.disposition !== 'inline' && !part.type.startsWith('text/');
}

export function headerRow(
  header: RemoteMessageHeader,
  folder: Pick<Folder, 'id' | 'accountId'>,
  now: number,
): NewMessage {
  const { envelope } = header;
  const messageId = normaliseMessageId(envelope.messageId);
  const references = header.references
    .map((id) => normaliseMessageId(id))
    .filter((id): id is string => id !== null);
  const inReplyTo = normaliseMessageId(envelope.inReplyTo);
  const subject = envelope.subject ?? '';
  const from = envelope.from.map(toAddress).find((a) => a !== null) ?? null;
  const to = toAddresses(envelope.to);
  const cc = toAddresses(envelope.cc);
  const receivedAt = header.internalDate?.getTime() ?? now;
  const message: NewMessage = {
    accountId: folder.accountId,
    folderId: folder.id,
    messageIdHeader: messageId,
    subject,
    from,
    to,
    cc,
    date: envelope.date?.getTime() ?? receivedAt,
    receivedAt,
    size: header.size,
    flags: header.flags,
    hasAttachments: hasAttachmentPart(header.bodyStructure),
    threadKey: threadKeyOf(references, inReplyTo, messageId, subject),
    snippet: '',
    emlPath: HEADERS_ONLY_EML_PATH,
    imapUid: header.uid,
    parseState: 'ok',
  };
  return message;
}
