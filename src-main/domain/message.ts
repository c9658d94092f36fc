import type { AccountId, FolderId, MessageId } from './ids';
import type { MessageFlags } from './flags';

export interface Address {
  name: string;
  address: string;
}

/** What the message list needs of a message: headers only, never the body. */
export interface MessageSummary {
  id: MessageId;
  accountId: AccountId;
  folderId: FolderId;
  /** The Message-ID header without angle brackets; null when absent. */
  messageIdHeader: string | null;
  subject: string;
  from: Address | null;
  to: Address[];
  cc: Address[];
  /** Date header in ms since the epoch, falling back to the time it arrived here. */
  date: number;
  size: number;
  flags: MessageFlags;
  hasAttachments: boolean;
  /** Conversation key: the root Message-ID of References/In-Reply-To, else the normalised subject. */
  threadKey: string;
  snippet: string;
}

export const MESSAGE_SORT_KEYS = ['date', 'sender', 'subject', 'size'] as const;
export type MessageSortKey = (typeof MESSAGE_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|wg|sv|vs|tr|rv|enc|odp|antw)(\[\d+\])?\s*:\s*)+/i;

/** "Re: Fwd: [list] Hello" -> "[list] hello": the subject a thread shares. */
export function normaliseSubject(subject: string): string {
  return subject.replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * RFC 5322 §3.6.4: the first id of References is the thread root; In-Reply-To is the parent when
 * References is missing. Without either, messages with the same normalised subject group together.
 */
export function threadKeyOf(
  references: readonly string[],
  inReplyTo: string | null,
  messageId: string | null,
  subject: string,
): string {
  const root = references[0] ?? inReplyTo ?? null;
  if (root) return `id:${root}`;
  if (messageId && !REPLY_PREFIX.test(subject)) return `id:${messageId}`;
  return `subject:${normaliseSubject(subject)}`;
}
