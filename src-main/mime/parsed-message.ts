/** What mime/ hands the rest of the app after reading a raw message. */
import type { Address } from '../domain/message';

export interface ParsedAttachment {
  /** As the sender named it; not yet safe for a file system (see filename.ts). */
  filename: string | null;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, for cid: references in the HTML. */
  contentId: string | null;
  isInline: boolean;
  content: Buffer;
}

export interface ParsedHeaders {
  from: Address[];
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  subject: string;
  /** Date header in ms since the epoch; null when missing or unreadable. */
  date: number | null;
  /** Message-ID without angle brackets. */
  messageId: string | null;
  inReplyTo: string | null;
  /** References ids in order, without angle brackets (RFC 5322 §3.6.4). */
  references: string[];
}

export interface ParsedMessage extends ParsedHeaders {
  text: string;
  /** The message's own HTML, NOT sanitised: pass it through sanitizeMailHtml before showing it. */
  html: string | null;
  attachments: ParsedAttachment[];
  /** What could not be shown, in plain words for the user. */
  problems: string[];
  /** True when the MIME structure could not be read and only headers plus raw text are shown. */
  isDamaged: boolean;
}
