/**
 * What the message list needs of a downloaded POP3 message, read without decoding any body: the
 * headers (subject, addresses, date, thread ids) and the MIME structure (the paperclip, and
 * whether the reader will be able to parse it). Decoding and converting the text for the snippet
 * and the search index is most of a full parse; the background search indexer does that after the
 * download (search_pending, 007-search.sql), fills in the snippet and corrects the parse state
 * (imapSync.fillFromBody: rows stored with an empty snippet), exactly as it does for IMAP bodies.
 * The download therefore spends its time on the network, the disk and the database, and the
 * messages leave the server sooner. Never throws.
 */
import { headersFromBlock } from '../../mime/fallback-parse';
import { readHeaderBlock } from '../../mime/header-reader';
import { outlineMessage } from '../../mime/mime-outline';
import type { IndexableMessage } from '../../mime/parse-for-index';
import { parseForIngest } from '../message-ingest';

/** No text part is decoded: the outline walk only reads part headers and finds boundaries. */
const NO_TEXT_BYTES = 0;

function hasContent(raw: Buffer, from: number): boolean {
  for (let i = from; i < raw.length; i++) {
    const byte = raw[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return true;
  }
  return false;
}

/**
 * The list's fields as an IndexableMessage with no text (so the row's snippet is empty, which is
 * what tells the indexer to fill it). Damage found here is the damage parseForIndex finds; the one
 * case only the text reveals (body bytes but nothing readable) is set by the indexer's parse.
 */
export function readListFields(raw: Buffer): IndexableMessage {
  try {
    const block = readHeaderBlock(raw);
    const headers = headersFromBlock(block);
    const noText = { text: '', attachmentNames: [], problems: [] };
    // Same rules as parseForIndex: no header block, or no empty line before body bytes.
    const isUnstructured =
      (block.fields.length === 0 && hasContent(raw, 0)) ||
      (block.isTruncated && hasContent(raw, block.bodyOffset));
    if (isUnstructured) return { ...headers, ...noText, hasAttachments: false, isDamaged: true };
    const outline = outlineMessage(raw, NO_TEXT_BYTES, block);
    if (outline.damage !== null) return { ...headers, ...noText, hasAttachments: false, isDamaged: true };
    return {
      ...headers,
      ...noText,
      hasAttachments: outline.attachments.some((attachment) => !attachment.isInline),
      isDamaged: false,
    };
  } catch {
    return { ...parseForIngest(raw), text: '' }; // a bug here must not lose a message
  }
}
