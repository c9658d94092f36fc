/** What the composer hands mime/compose to turn into RFC 5322 bytes. */
import type { Address } from '../../domain/message';

export interface OutgoingAttachment {
  /** As the user named it; RFC 2231 encodes it when it is not plain ASCII. */
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingMessage {
  from: Address;
  to: readonly Address[];
  cc: readonly Address[];
  bcc: readonly Address[];
  subject: string;
  /** The plain-text body; always sent, also as the alternative of `html`. */
  text: string;
  /** Formatted text: with it the body is multipart/alternative (RFC 2046 §5.1.4). */
  html: string | null;
  attachments: readonly OutgoingAttachment[];
  /** Without angle brackets; stable for one outgoing message so that retries are one message. */
  messageId: string;
  date: Date;
  /** Without angle brackets. */
  inReplyTo: string | null;
  references: readonly string[];
}
