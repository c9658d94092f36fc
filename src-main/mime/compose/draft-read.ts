/**
 * A saved draft's bytes -> the composer's fields, so reopening a draft restores everything:
 * recipients including Bcc (drafts keep it, see build-message.ts), subject, text and formatted
 * text, attachments with their bytes, the thread headers, and what the draft answers.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import type { Address } from '../../domain/message';
import { flattenAddresses, normaliseMessageId, parseMessageIdList } from '../header-values';
import type { OutgoingAttachment } from './outgoing-message';

/** Header naming the local message a draft replies to or forwards, so sending can flag it. */
export const DRAFT_ORIGINAL_HEADER = 'X-Estafeta-Original';

export type ResponseKind = 'answered' | 'forwarded';

export interface DraftOriginal {
  messageId: number;
  kind: ResponseKind;
}

export interface ReadDraft {
  from: Address | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  text: string;
  html: string | null;
  attachments: OutgoingAttachment[];
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  original: DraftOriginal | null;
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): Address[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((object) => flattenAddresses(object.value));
}

/** "123 answered" -> { messageId: 123, kind: 'answered' }; anything else -> null. */
export function parseDraftOriginal(value: string | undefined): DraftOriginal | null {
  const match = /^\s*(\d{1,15})\s+(answered|forwarded)\s*$/.exec(value ?? '');
  if (!match) return null;
  return { messageId: Number(match[1]), kind: match[2] as ResponseKind };
}

export function formatDraftOriginal(original: DraftOriginal): string {
  return `${original.messageId} ${original.kind}`;
}

export async function readDraft(raw: Buffer): Promise<ReadDraft> {
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const references = mail.references
    ? (Array.isArray(mail.references) ? mail.references : [mail.references]).flatMap(parseMessageIdList)
    : [];
  const originalHeader = mail.headers.get(DRAFT_ORIGINAL_HEADER.toLowerCase());
  return {
    from: addressesOf(mail.from)[0] ?? null,
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    bcc: addressesOf(mail.bcc),
    subject: mail.subject ?? '',
    text: (mail.text ?? '').replace(/\r\n?/g, '\n'),
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: mail.attachments.map((attachment, index) => ({
      filename: attachment.filename ?? `attachment-${index + 1}`,
      contentType: attachment.contentType,
      content: attachment.content,
    })),
    messageId: normaliseMessageId(mail.messageId),
    inReplyTo: normaliseMessageId(mail.inReplyTo),
    references,
    original: parseDraftOriginal(typeof originalHeader === 'string' ? originalHeader : undefined),
  };
}
