/**
 * The import path: what the message list and the search index need (headers, plain text,
 * attachment names), read by a fast structural walk (mime-outline.ts) rather than a full parse:
 * attachment bodies are never decoded. Synchronous and never throws; a message the reader will
 * not be able to parse is marked damaged, with the same fallback text parseMessage shows.
 */
import { headersFromBlock, parseHeadersOnly } from './fallback-parse';
import { readHeaderBlock } from './header-reader';
import { htmlToIndexText } from './html-text';
import { outlineMessage } from './mime-outline';
import type { MimeDamage, MimeProblem, ParsedHeaders, ParsedMessage } from './parsed-message';

/** Text beyond this is not indexed: enough for any real letter, bounded for pasted logs. */
export const INDEX_TEXT_MAX_CHARS = 256 * 1024;
/** Encoded bytes decoded per text part (base64 and UTF-8 both expand, so a margin over the chars). */
const INDEX_TEXT_MAX_BYTES = INDEX_TEXT_MAX_CHARS * 4;

export interface IndexableMessage extends ParsedHeaders {
  /** Plain text (HTML converted), cut at INDEX_TEXT_MAX_CHARS. */
  text: string;
  attachmentNames: string[];
  /** Parts meant to be saved rather than shown inline. */
  hasAttachments: boolean;
  problems: MimeProblem[];
  isDamaged: boolean;
}

function hasContent(raw: Buffer, from: number): boolean {
  for (let i = from; i < raw.length; i++) {
    const byte = raw[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return true;
  }
  return false;
}

function damaged(raw: Buffer, reason: MimeDamage): IndexableMessage {
  const {
    html: _html,
    attachments: _attachments,
    text,
    ...rest
  }: ParsedMessage = parseHeadersOnly(raw, reason);
  return { ...rest, text: text.slice(0, INDEX_TEXT_MAX_CHARS), attachmentNames: [], hasAttachments: false };
}

export function parseForIndex(raw: Buffer): IndexableMessage {
  const block = readHeaderBlock(raw);
  if (block.fields.length === 0 && hasContent(raw, 0)) return damaged(raw, 'no-headers');
  // No empty line after the headers: mailparser reads the rest as (broken) headers and finds no
  // body, so the reader will show the raw text; say so here too.
  if (block.isTruncated && hasContent(raw, block.bodyOffset)) return damaged(raw, 'broken-structure');
  const outline = outlineMessage(raw, INDEX_TEXT_MAX_BYTES);
  if (outline.damage !== null) return damaged(raw, outline.damage);
  const plain = outline.plainTexts.join('\n').trim();
  const text = plain !== '' ? plain : htmlToIndexText(outline.htmlTexts.join('\n'));
  // Nothing readable although there are body bytes: what the reader will show is the raw text.
  if (text === '' && outline.attachments.length === 0 && hasContent(raw, block.bodyOffset)) {
    return damaged(raw, 'broken-structure');
  }
  return {
    ...headersFromBlock(block),
    text: text.slice(0, INDEX_TEXT_MAX_CHARS),
    attachmentNames: outline.attachments.flatMap((a) => (a.filename ? [a.filename] : [])),
    hasAttachments: outline.attachments.some((a) => !a.isInline),
    problems: [],
    isDamaged: false,
  };
}
