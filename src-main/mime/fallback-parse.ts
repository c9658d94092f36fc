/**
 * When mailparser cannot read a message (EMAXLEN on a huge header or too many parts, or bytes that
 * are not MIME at all), the message is still mail: read what headers there are with our own
 * reader and show the raw text, with a note saying so.
 */
import { decodeUnlabelled } from './charset';
import { readHeaderBlock } from './header-reader';
import type { HeaderBlock } from './header-reader';
import {
  decodeSubject,
  normaliseMessageId,
  parseAddresses,
  parseMailDate,
  parseMessageIdList,
} from './header-values';
import type { MimeDamage, MimeProblem, ParsedHeaders, ParsedMessage } from './parsed-message';

/** The raw text shown for a damaged message is cut here, so a 200 MB blob does not reach the UI. */
export const FALLBACK_TEXT_MAX_BYTES = 2 * 1024 * 1024;

export function headersFromBlock(block: HeaderBlock): ParsedHeaders {
  return {
    from: parseAddresses(block.get('from')),
    to: parseAddresses(block.getAll('to').join(', ')),
    cc: parseAddresses(block.getAll('cc').join(', ')),
    replyTo: parseAddresses(block.get('reply-to')),
    subject: decodeSubject(block.get('subject')),
    date: parseMailDate(block.get('date')),
    messageId: normaliseMessageId(block.get('message-id')),
    inReplyTo: normaliseMessageId(block.get('in-reply-to')),
    references: parseMessageIdList(block.get('references')),
  };
}

/**
 * A bare header block (an IMAP BODY[HEADER.FIELDS (...)] reply, say) -> the header values the
 * message list shows, read exactly as those of a whole .eml are.
 */
export function headersFromBytes(raw: Buffer): ParsedHeaders {
  return headersFromBlock(readHeaderBlock(raw));
}

export function parseHeadersOnly(raw: Buffer, reason: MimeDamage): ParsedMessage {
  const block = readHeaderBlock(raw);
  const bodyBytes = raw.subarray(block.bodyOffset, block.bodyOffset + FALLBACK_TEXT_MAX_BYTES);
  const problems: MimeProblem[] = [{ code: 'not-mime', reason }];
  if (raw.length - block.bodyOffset > FALLBACK_TEXT_MAX_BYTES) {
    problems.push({ code: 'raw-text-cut', shownBytes: FALLBACK_TEXT_MAX_BYTES });
  }
  return {
    ...headersFromBlock(block),
    text: decodeUnlabelled(bodyBytes),
    html: null,
    attachments: [],
    problems,
    isDamaged: true,
  };
}

/** Why mailparser gave up. */
export function describeParseFailure(error: unknown): MimeDamage {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'EMAXLEN') return 'over-limits';
  return 'broken-structure';
}
