/**
 * The step every way of bringing mail in shares (local import, POP3): raw RFC 5322 bytes -> what
 * the message list keeps (a NewMessage row) and what search indexes (a SearchDocument). The raw
 * bytes themselves go to an .eml file; the caller writes it and commits the row after.
 */
import type { MessageFlags } from '../domain/flags';
import type { Folder } from '../domain/folder';
import { threadKeyOf } from '../domain/message';
import { parseForIndex } from '../mime/parse-for-index';
import type { IndexableMessage } from '../mime/parse-for-index';
import type { ParsedHeaders } from '../mime/parsed-message';
import { makeSnippet } from '../mime/snippet';
import type { MessageContent, NewMessage } from '../store/messages-repo';
import type { SearchDocument } from '../store/search';

/** Where and how one message was stored, beyond what its bytes say. */
export interface StoredFile {
  /** From EmlFiles.write or an EmlWriteBatch. */
  emlPath: string;
  /** The size to show (the raw size; for a POP3 headers-only copy, the server's size). */
  size: number;
  /** Arrival time here (ms since the epoch); also the date of a message without a Date header. */
  receivedAt: number;
  flags: MessageFlags;
  pop3Uidl?: string | null;
  imapUid?: number | null;
}

/** parseForIndex never throws by design; this keeps a bug in it from losing a message. */
export function parseForIngest(raw: Buffer): IndexableMessage {
  try {
    return parseForIndex(raw);
  } catch {
    return {
      from: [],
      to: [],
      cc: [],
      replyTo: [],
      subject: '',
      date: null,
      messageId: null,
      inReplyTo: null,
      references: [],
      text: '',
      attachmentNames: [],
      hasAttachments: false,
      isDamaged: true,
      problems: [{ code: 'unreadable' }],
    };
  }
}

/** The row fields the header block alone gives: the same for every way mail comes in. */
export type HeaderContent = Pick<
  MessageContent,
  'messageIdHeader' | 'subject' | 'from' | 'to' | 'cc' | 'date' | 'threadKey'
>;

/** `receivedAt` is also the date of a message without a (readable) Date header. */
export function toHeaderContent(headers: ParsedHeaders, receivedAt: number): HeaderContent {
  return {
    messageIdHeader: headers.messageId,
    subject: headers.subject,
    from: headers.from[0] ?? null,
    to: headers.to,
    cc: headers.cc,
    date: headers.date ?? receivedAt,
    threadKey: threadKeyOf(headers.references, headers.inReplyTo, headers.messageId, headers.subject),
  };
}

/** The row fields read from the mail itself (also what a later full download replaces). */
export function toMessageContent(
  parsed: IndexableMessage,
  file: Pick<StoredFile, 'emlPath' | 'size' | 'receivedAt'>,
): MessageContent {
  return {
    ...toHeaderContent(parsed, file.receivedAt),
    size: file.size,
    hasAttachments: parsed.hasAttachments,
    snippet: makeSnippet(parsed.text),
    emlPath: file.emlPath,
    parseState: parsed.isDamaged ? 'damaged' : 'ok',
  };
}

export function toNewMessage(
  parsed: IndexableMessage,
  folder: Pick<Folder, 'id' | 'accountId'>,
  file: StoredFile,
): NewMessage {
  return {
    ...toMessageContent(parsed, file),
    accountId: folder.accountId,
    folderId: folder.id,
    receivedAt: file.receivedAt,
    flags: file.flags,
    imapUid: file.imapUid ?? null,
    pop3Uidl: file.pop3Uidl ?? null,
  };
}

export function toSearchDocument(parsed: IndexableMessage): SearchDocument {
  return {
    subject: parsed.subject,
    from: parsed.from,
    to: parsed.to,
    cc: parsed.cc,
    body: parsed.text,
    attachmentNames: parsed.attachmentNames,
  };
}
