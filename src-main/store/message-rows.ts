/** messages rows <-> domain shapes; shared by messages-repo.ts and search.ts. */
import type { MessageFlags } from '../domain/flags';
import { asAccountId, asFolderId, asMessageId } from '../domain/ids';
import type { Address, MessageSummary } from '../domain/message';

export const PARSE_STATES = ['ok', 'damaged'] as const;
export type ParseState = (typeof PARSE_STATES)[number];

/** What the store keeps beyond the list's summary: where the mail is and how it was read. */
export interface StoredMessage extends MessageSummary {
  receivedAt: number;
  /** Relative to the data directory; read it with EmlFiles.read. */
  emlPath: string;
  imapUid: number | null;
  pop3Uidl: string | null;
  parseState: ParseState;
}

export interface MessageRowData {
  id: number;
  account_id: number;
  folder_id: number;
  message_id_header: string | null;
  subject: string;
  from_name: string | null;
  from_addr: string | null;
  to_json: string;
  cc_json: string;
  date_ms: number;
  received_ms: number;
  size: number;
  is_seen: number;
  is_flagged: number;
  is_answered: number;
  is_forwarded: number;
  is_draft: number;
  is_deleted: number;
  keywords_json: string;
  has_attachments: number;
  thread_key: string;
  snippet: string;
  eml_path: string;
  imap_uid: number | null;
  pop3_uidl: string | null;
  parse_state: string;
}

export const MESSAGE_COLUMNS =
  'id, account_id, folder_id, message_id_header, subject, from_name, from_addr, to_json, cc_json, ' +
  'date_ms, received_ms, size, is_seen, is_flagged, is_answered, is_forwarded, is_draft, is_deleted, ' +
  'keywords_json, has_attachments, thread_key, snippet, eml_path, imap_uid, pop3_uidl, parse_state';

function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function flagsOf(row: MessageRowData): MessageFlags {
  return {
    seen: row.is_seen === 1,
    flagged: row.is_flagged === 1,
    answered: row.is_answered === 1,
    forwarded: row.is_forwarded === 1,
    draft: row.is_draft === 1,
    deleted: row.is_deleted === 1,
    keywords: parseJsonArray<string>(row.keywords_json),
  };
}

export function toStoredMessage(row: MessageRowData): StoredMessage {
  return {
    id: asMessageId(row.id),
    accountId: asAccountId(row.account_id),
    folderId: asFolderId(row.folder_id),
    messageIdHeader: row.message_id_header,
    subject: row.subject,
    from: row.from_addr === null ? null : { name: row.from_name ?? '', address: row.from_addr },
    to: parseJsonArray<Address>(row.to_json),
    cc: parseJsonArray<Address>(row.cc_json),
    date: row.date_ms,
    size: row.size,
    flags: flagsOf(row),
    hasAttachments: row.has_attachments === 1,
    threadKey: row.thread_key,
    snippet: row.snippet,
    receivedAt: row.received_ms,
    emlPath: row.eml_path,
    imapUid: row.imap_uid,
    pop3Uidl: row.pop3_uidl,
    parseState: row.parse_state === 'damaged' ? 'damaged' : 'ok',
  };
}

/** The list needs no storage details. */
export function toSummary(row: MessageRowData): MessageSummary {
  const {
    receivedAt: _r,
    emlPath: _e,
    imapUid: _i,
    pop3Uidl: _p,
    parseState: _s,
    ...summary
  } = toStoredMessage(row);
  return summary;
}

/** Printable ASCII and whitespace: NFKD leaves it as it is and it has no combining marks. */
const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/;

/** Sort key text: accents and case folded so "Émile" sorts with "emile" (a plain BINARY index). */
export function sortKey(text: string): string {
  // Two keys per stored row, and most names and subjects are ASCII: skip the Unicode passes there.
  const folded = PLAIN_ASCII.test(text) ? text : text.normalize('NFKD').replace(/\p{M}/gu, '');
  return folded
    .toLowerCase()
    .replace(/^[\s"'<(]+/, '')
    .trim();
}
