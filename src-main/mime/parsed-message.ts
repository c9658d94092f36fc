/** What mime/ hands the rest of the app after reading a raw message. */
import type { Address } from '../domain/message';

/**
 * Why a message could not be read as MIME and is shown as raw text. Codes, not words: the UI
 * says them in the user's language (reader.problem.* in the renderer's catalogue).
 */
export type MimeDamage =
  | 'no-headers'
  | 'broken-structure'
  /** mailparser's EMAXLEN: a header block or the number of parts passed its limits. */
  | 'over-limits'
  | 'too-many-parts'
  | 'header-too-large'
  | 'no-boundary'
  | 'no-parts';

/** Something in a message that could not be shown as the sender meant it; see MimeDamage. */
export type MimeProblem =
  | { code: 'not-mime'; reason: MimeDamage }
  /** Only the first `shownBytes` bytes of the raw text are shown. */
  | { code: 'raw-text-cut'; shownBytes: number }
  | { code: 'unreadable-date' }
  | { code: 'text-conversion-failed' }
  | { code: 'undecodable-characters' }
  | { code: 'unclosed-multipart' }
  | { code: 'empty' }
  /** Not even the header-only reading worked. */
  | { code: 'unreadable' };

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
  /** What could not be shown, as codes the UI puts in words. */
  problems: MimeProblem[];
  /** True when the MIME structure could not be read and only headers plus raw text are shown. */
  isDamaged: boolean;
}
