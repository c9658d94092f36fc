/**
 * OutgoingMessage -> RFC 5322 bytes with nodemailer's MailComposer. MailComposer does what the
 * standards ask of us: RFC 2047 encoded words for non-ASCII subjects and display names, RFC 2231
 * parameters for non-ASCII file names, quoted-printable text with lines folded under 78
 * characters (RFC 5322 §2.1.1), base64 attachments, multipart/alternative with the plain part
 * first (RFC 2046 §5.1.4: the richest part last), CRLF line ends.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { Address } from '../../domain/message';
import type { OutgoingMessage } from './outgoing-message';

export interface BuildOptions {
  /** Keep the Bcc header: for drafts only, which must remember every field. Sent mail never has it. */
  keepBcc?: boolean;
  /** Extra header fields (drafts note what they answer, see draft-read.ts). */
  headers?: Readonly<Record<string, string>>;
}

const toMailAddress = (address: Address): Mail.Address => ({ name: address.name, address: address.address });
const list = (addresses: readonly Address[]): Mail.Address[] | undefined =>
  addresses.length === 0 ? undefined : addresses.map(toMailAddress);
const angle = (id: string): string => `<${id}>`;
/**
 * RFC 5322 §2.3: lines end in CRLF. MailComposer keeps the text's own line ends (nodemailer's
 * transports convert them later; we submit the bytes as built), so they are made CRLF here.
 */
const crlf = (text: string): string => text.replace(/\r\n|\r|\n/g, '\r\n');

/** References is bounded so a long thread cannot grow a header without end (RFC 5322 §3.6.4 allows trimming). */
export const MAX_REFERENCES = 30;

/** The References list to send: the first (thread root) and the newest ids, at most MAX_REFERENCES. */
export function trimReferences(references: readonly string[]): string[] {
  if (references.length <= MAX_REFERENCES) return [...references];
  return [references[0] as string, ...references.slice(references.length - (MAX_REFERENCES - 1))];
}

export async function buildMessage(message: OutgoingMessage, options: BuildOptions = {}): Promise<Buffer> {
  const composer = new MailComposer({
    from: toMailAddress(message.from),
    to: list(message.to),
    cc: list(message.cc),
    bcc: list(message.bcc),
    subject: message.subject,
    text: crlf(message.text),
    ...(message.html !== null ? { html: crlf(message.html) } : {}),
    attachments: message.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.content,
      // RFC 2045 §6.8: base64 for every attachment, whatever its type, so bytes come back unchanged.
      contentTransferEncoding: 'base64',
    })),
    messageId: angle(message.messageId),
    date: message.date,
    ...(message.inReplyTo !== null ? { inReplyTo: angle(message.inReplyTo) } : {}),
    ...(message.references.length > 0
      ? { references: trimReferences(message.references).map(angle).join(' ') }
      : {}),
    ...(options.headers !== undefined ? { headers: { ...options.headers } } : {}),
    // Content comes only from the buffers above: never a path or a URL named in the message.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = options.keepBcc === true;
  return node.build();
}
