/**
 * A server's message summary (header fields, FLAGS, RFC822.SIZE, INTERNALDATE) -> the row the
 * message list shows, with no body yet: the .eml comes in the body phase (or when the message is
 * opened), and the search indexer's parse of it adds the snippet and the exact paperclip
 * (007-search.sql, imapSync.fillFromBody).
 */
import type { Folder } from '../../domain/folder';
import { guessHasAttachments } from '../../mime/attachment-guess';
import { headersFromBlock, headersFromBytes } from '../../mime/fallback-parse';
import { readHeaderBlock } from '../../mime/header-reader';
import type { ParsedHeaders } from '../../mime/parsed-message';
import type { RemoteMessageHeader } from '../../protocols/imap';
import { HEADERS_ONLY_EML_PATH } from '../../store/eml-files';
import type { NewMessage } from '../../store/messages-repo';
import { toHeaderContent } from '../message-ingest';

/** The summary's header fields, read as those of a downloaded .eml are (mime/header-reader.ts). */
export function summaryHeaders(header: Pick<RemoteMessageHeader, 'headerFields'>): ParsedHeaders {
  return headersFromBytes(header.headerFields);
}

export function headerRow(
  header: RemoteMessageHeader,
  folder: Pick<Folder, 'id' | 'accountId'>,
  now: number,
): NewMessage {
  const block = readHeaderBlock(header.headerFields);
  const receivedAt = header.internalDate?.getTime() ?? now;
  return {
    ...toHeaderContent(headersFromBlock(block), receivedAt),
    accountId: folder.accountId,
    folderId: folder.id,
    receivedAt,
    size: header.size,
    flags: header.flags,
    hasAttachments: guessHasAttachments(block),
    snippet: '',
    emlPath: HEADERS_ONLY_EML_PATH,
    imapUid: header.uid,
    parseState: 'ok',
  };
}
