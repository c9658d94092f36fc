/**
 * The import path: what the message list and the search index need (headers, plain text, attachment
 * names), read with mailparser's streaming MailParser so attachment bodies are drained as they are
 * decoded instead of being collected in memory. Never throws; falls back like parseMessage.
 */
import { MailParser } from 'mailparser';
import type { AttachmentStream, MessageText } from 'mailparser';
import { describeParseFailure, headersFromBlock, parseHeadersOnly } from './fallback-parse';
import { readHeaderBlock } from './header-reader';
import type { ParsedHeaders, ParsedMessage } from './parsed-message';
import { lostBodyReason, MAILPARSER_OPTIONS } from './parse';

/** Text beyond this is not indexed: enough for any real letter, bounded for pasted logs. */
export const INDEX_TEXT_MAX_CHARS = 256 * 1024;

export interface IndexableMessage extends ParsedHeaders {
  /** Plain text (HTML converted), cut at INDEX_TEXT_MAX_CHARS. */
  text: string;
  attachmentNames: string[];
  /** Parts meant to be saved rather than shown inline. */
  hasAttachments: boolean;
  problems: string[];
  isDamaged: boolean;
}

interface StreamedParts {
  text: string;
  attachmentNames: string[];
  attachmentCount: number;
  hasAttachments: boolean;
}

function drainAttachment(attachment: AttachmentStream): Promise<void> {
  return new Promise<void>((resolve) => {
    attachment.content.on('end', () => resolve());
    attachment.content.on('error', () => resolve());
    attachment.content.resume();
  }).then(() => attachment.release?.());
}

function streamParts(raw: Buffer): Promise<StreamedParts> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({ ...MAILPARSER_OPTIONS, checksumAlgo: false });
    const parts: StreamedParts = { text: '', attachmentNames: [], attachmentCount: 0, hasAttachments: false };
    const drains: Promise<void>[] = [];
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        parts.text = (data.text ?? '').slice(0, INDEX_TEXT_MAX_CHARS);
        return;
      }
      parts.attachmentCount++;
      if (data.filename) parts.attachmentNames.push(data.filename);
      if (data.contentDisposition !== 'inline' && !data.related) parts.hasAttachments = true;
      drains.push(drainAttachment(data));
    });
    parser.on('error', reject);
    parser.on('end', () => {
      Promise.all(drains).then(() => resolve(parts), reject);
    });
    parser.end(raw);
  });
}

export async function parseForIndex(raw: Buffer): Promise<IndexableMessage> {
  // Headers come from our own reader: cheaper than mailparser's decoded map, and it keeps an
  // unreadable Date as "unknown" instead of "now".
  const block = readHeaderBlock(raw);
  const headers = headersFromBlock(block);
  let parts: StreamedParts;
  try {
    parts = await streamParts(raw);
  } catch (error) {
    return toIndexable(parseHeadersOnly(raw, describeParseFailure(error)));
  }
  const lost = lostBodyReason(raw, parts.text.trim() !== '' || parts.attachmentCount > 0);
  if (lost !== null) return toIndexable(parseHeadersOnly(raw, lost));
  return { ...headers, ...pick(parts), problems: [], isDamaged: false };
}

function pick(parts: StreamedParts): Pick<IndexableMessage, 'text' | 'attachmentNames' | 'hasAttachments'> {
  return { text: parts.text, attachmentNames: parts.attachmentNames, hasAttachments: parts.hasAttachments };
}

function toIndexable({ html: _html, attachments: _attachments, text, ...rest }: ParsedMessage): IndexableMessage {
  return { ...rest, text: text.slice(0, INDEX_TEXT_MAX_CHARS), attachmentNames: [], hasAttachments: false };
}
