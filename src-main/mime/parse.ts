/**
 * Raw RFC 5322 bytes -> ParsedMessage, for reading a message. Built on mailparser's simpleParser;
 * it never throws: whatever mailparser rejects is read by the header-only fallback.
 */
import { simpleParser } from 'mailparser';
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';
import type { Address } from '../domain/message';
import { describeParseFailure, parseHeadersOnly } from './fallback-parse';
import { readHeaderBlock } from './header-reader';
import { hasUndecodableText, isMultipartUnclosed } from './message-checks';
import { flattenAddresses, normaliseMessageId, parseMailDate, parseMessageIdList } from './header-values';
import type { MimeDamage, MimeProblem, ParsedAttachment, ParsedMessage } from './parsed-message';

export type {
  MimeDamage,
  MimeProblem,
  ParsedAttachment,
  ParsedHeaders,
  ParsedMessage,
} from './parsed-message';

/** Options shared by every mailparser call: we sanitise HTML and resolve cid: links ourselves. */
const MAILPARSER_OPTIONS = {
  keepCidLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
} as const;

function addressesOf(value: AddressObject | AddressObject[] | undefined): Address[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  return objects.flatMap((object) => flattenAddresses(object.value));
}

/** The raw text of a header as mailparser saw it ("Date: ..." -> "..."). */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((entry) => entry.key === name)?.line;
  if (line === undefined) return undefined;
  const colon = line.indexOf(':');
  return colon === -1
    ? undefined
    : line
        .slice(colon + 1)
        .replace(/\r?\n/g, '')
        .trim();
}

function attachmentOf(attachment: Attachment): ParsedAttachment {
  return {
    filename: attachment.filename ?? null,
    contentType: attachment.contentType,
    size: attachment.size,
    contentId: normaliseMessageId(attachment.contentId ?? attachment.cid ?? null),
    isInline: attachment.contentDisposition === 'inline' || attachment.related === true,
    content: attachment.content,
  };
}

function referencesOf(mail: ParsedMail): string[] {
  const value = mail.references;
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((id) => parseMessageIdList(id));
}

function fromMailparser(mail: ParsedMail): ParsedMessage {
  const problems: MimeProblem[] = [];
  const rawDate = rawHeader(mail, 'date');
  // mailparser substitutes "now" for an unreadable Date header; we keep "unknown" instead.
  const date = parseMailDate(rawDate);
  if (rawDate !== undefined && date === null) problems.push({ code: 'unreadable-date' });
  if (mail.textConversionError) problems.push({ code: 'text-conversion-failed' });
  return {
    from: addressesOf(mail.from),
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    replyTo: addressesOf(mail.replyTo),
    subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim(),
    date,
    messageId: normaliseMessageId(mail.messageId),
    inReplyTo: normaliseMessageId(mail.inReplyTo),
    references: referencesOf(mail),
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: mail.attachments.map(attachmentOf),
    problems,
    isDamaged: false,
  };
}

/** Bytes that contain something other than white space. */
function hasContent(raw: Buffer): boolean {
  for (const byte of raw) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return true;
  return false;
}

/**
 * mailparser found nothing to show although there are body bytes: binary garbage, multipart
 * without a usable boundary, or body lines taken for headers. Then the raw body is what to show.
 */
function lostBodyReason(raw: Buffer, foundSomething: boolean): MimeDamage | null {
  if (foundSomething) return null;
  const block = readHeaderBlock(raw);
  if (!hasContent(raw.subarray(block.bodyOffset))) return null;
  return block.fields.length === 0 ? 'no-headers' : 'broken-structure';
}

export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, MAILPARSER_OPTIONS);
  } catch (error) {
    return parseHeadersOnly(raw, describeParseFailure(error));
  }
  const parsed = fromMailparser(mail);
  const foundSomething = parsed.text.trim() !== '' || parsed.html !== null || parsed.attachments.length > 0;
  const lost = lostBodyReason(raw, foundSomething);
  if (lost !== null) return parseHeadersOnly(raw, lost);
  if (!hasContent(raw)) parsed.problems.push({ code: 'empty' });
  const names = [...parsed.from, ...parsed.to, ...parsed.cc].map((address) => address.name);
  if (hasUndecodableText(parsed.subject, parsed.text, parsed.html ?? '', ...names)) {
    parsed.problems.push({ code: 'undecodable-characters' });
  }
  if (isMultipartUnclosed(raw)) parsed.problems.push({ code: 'unclosed-multipart' });
  return parsed;
}
