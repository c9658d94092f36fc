/**
 * A server's message summary (header fields, FLAGS, BODYSTRUCTURE, RFC822.SIZE) -> the row
 * the message list shows, with no body yet: the .eml comes in the body phase (or when the message
 * is opened) and adds the snippet; search indexes the row in the background (007-search.sql).
 */
import type { Folder } from '../../domain/folder';
import { threadKeyOf } from '../../domain/message';
import { headersFromBytes } from '../../mime/fallback-parse';
import type { ParsedHeaders } from '../../mime/parsed-message';
import type { RemoteBodyPart, RemoteMessageHeader } from '../../protocols/imap';
import { HEADERS_ONLY_EML_PATH } from '../../store/eml-files';
import type { NewMessage } from '../../store/messages-repo';

/** The summary's header fields, read as those of a downloaded .eml are (mime/header-reader.ts). */
export function summaryHeaders(header: Pick<RemoteMessageHeader, 'headerFields'>): ParsedHeaders {
  return headersFromBytes(header.headerFields);
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
  const { messageId, inReplyTo, subject, from, to, cc, date, references } = summaryHeaders(header);
  const receivedAt = header.internalDate?.getTime() ?? now;
  const message: NewMessage = {
    accountId: folder.accountId,
    folderId: folder.id,
    messageIdHeader: messageId,
    subject,
    from: from[0] ?? null,
    to,
    cc,
    date: date ?? receivedAt,
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
