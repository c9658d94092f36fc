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
import type { ParsedHeaders, ParsedMessage } from './parsed-message';

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

export function parseHeadersOnly(raw: Buffer, reason: string): ParsedMessage {
  const block = readHeaderBlock(raw);
  const bodyBytes = raw.subarray(block.bodyOffset, block.bodyOffset + FALLBACK_TEXT_MAX_BYTES);
  const problems = [`This message could not be read as MIME (${reason}); it is shown as raw text.`];
  if (raw.length - block.bodyOffset > FALLBACK_TEXT_MAX_BYTES) {
    problems.push('Only the beginning of the raw text is shown because the message is very large.');
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

/** Why mailparser gave up, in words for the user. */
export function describeParseFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'EMAXLEN') return 'a header or the number of parts is larger than the reader allows';
  return 'its structure is broken';
}
