/**
 * Builds the reader's MessageView from a stored message: parsed in main, HTML sanitised here (the
 * only place mail HTML becomes displayable), inline cid: images turned into data: URLs so the
 * sandboxed frame needs nothing from outside, attachment names made safe before the UI ever sees
 * them. Remote content stays out unless the caller says the user allowed it.
 */
import { parseMessage } from '../mime/parse';
import type { ParsedAttachment, ParsedMessage } from '../mime/parse';
import { sanitizeMailHtml } from '../mime/sanitize';
import { sanitizeAttachmentFilename } from '../mime/filename';
import { readHeaderBlock } from '../mime/header-reader';
import { decodeSubject } from '../mime/header-values';
import type { StoredMessage } from '../store/message-rows';
import type { AttachmentRef, MessageView } from './contract';
import type { AttachedPath, RemoteContentView } from './reader-contract';

/** Inline images larger than this stay attachments instead of data: URLs in the frame. */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
/** The inline images of one message together may not grow the view past this. */
const MAX_INLINE_IMAGES_TOTAL_BYTES = 20 * 1024 * 1024;
/** Only raster types a browser shows without running anything become data: URLs (no SVG). */
const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/gif',
  'image/jpeg',
  'image/jpg',
  'image/webp',
  'image/bmp',
  'image/avif',
]);

export const ATTACHED_MESSAGE_TYPE = 'message/rfc822';

function cidUrls(attachments: readonly ParsedAttachment[]): Map<string, string> {
  const urls = new Map<string, string>();
  let total = 0;
  for (const part of attachments) {
    const type = part.contentType.toLowerCase();
    if (!part.contentId || !INLINE_IMAGE_TYPES.has(type) || part.size > MAX_INLINE_IMAGE_BYTES) continue;
    if (total + part.size > MAX_INLINE_IMAGES_TOTAL_BYTES) break;
    total += part.size;
    urls.set(part.contentId, `data:${type};base64,${part.content.toString('base64')}`);
  }
  return urls;
}

/** A forwarded message without a file name is called after its subject: "Meeting notes.eml". */
function fallbackName(part: ParsedAttachment, index: number): string {
  if (part.contentType.toLowerCase() === ATTACHED_MESSAGE_TYPE) {
    const subject = decodeSubject(readHeaderBlock(part.content).get('subject')).slice(0, 120);
    const name = sanitizeAttachmentFilename(subject === '' ? undefined : `${subject}.eml`, '');
    return name === '' || name === 'attachment' ? `message-${index + 1}.eml` : name;
  }
  return `attachment-${index + 1}`;
}

/** The name shown and used on disk: the sender's, made safe, or one made up from the part. */
export function attachmentFileName(part: ParsedAttachment, index: number): string {
  return sanitizeAttachmentFilename(part.filename ?? undefined, fallbackName(part, index));
}

export function attachmentRefs(attachments: readonly ParsedAttachment[]): AttachmentRef[] {
  return attachments.map((part, index) => ({
    index,
    filename: attachmentFileName(part, index),
    contentType: part.contentType,
    size: part.size,
    isInline: part.isInline,
  }));
}

/** The address "Always for this sender" is about: the first From address, lower-cased. */
export function senderOf(parsed: Pick<ParsedMessage, 'from'>): string | null {
  const address = parsed.from.find((entry) => /^[^\s@]+@[^\s@]+$/.test(entry.address.trim()))?.address;
  return address === undefined ? null : address.trim().toLowerCase();
}

export interface MessageViewOptions {
  /** 'message' or 'sender' when the user allowed remote content; 'no' blocks it. */
  remote: RemoteContentView['allowed'];
  attachedPath: AttachedPath;
}

export function buildMessageViewFromParsed(
  stored: StoredMessage,
  parsed: ParsedMessage,
  options: MessageViewOptions,
): MessageView {
  const sanitized =
    parsed.html === null
      ? null
      : sanitizeMailHtml(parsed.html, {
          allowRemote: options.remote !== 'no',
          cidUrls: cidUrls(parsed.attachments),
        });
  return {
    id: stored.id,
    folderId: stored.folderId,
    headers: {
      from: parsed.from,
      to: parsed.to,
      cc: parsed.cc,
      replyTo: parsed.replyTo,
      subject: parsed.subject,
      date: parsed.date,
      messageId: parsed.messageId,
    },
    text: parsed.text,
    safeHtml: sanitized?.html ?? null,
    attachments: attachmentRefs(parsed.attachments),
    // An attached message has no flags of its own: it is read when its parent is.
    isSeen: options.attachedPath.length > 0 ? true : stored.flags.seen,
    isFlagged: options.attachedPath.length > 0 ? false : stored.flags.flagged,
    problems: parsed.problems,
    remoteContent: {
      // Tracking pixels are counted on their own; blockedRemote counts them too while blocked.
      blocked: Math.max(
        0,
        (sanitized?.blockedRemote ?? 0) - (options.remote === 'no' ? (sanitized?.trackingPixels ?? 0) : 0),
      ),
      trackingPixels: sanitized?.trackingPixels ?? 0,
      allowed: options.remote,
      sender: senderOf(parsed),
    },
    attachedPath: [...options.attachedPath],
  };
}

/** The stored message itself, remote content blocked (kept for callers outside the reader). */
export async function buildMessageView(stored: StoredMessage, raw: Buffer): Promise<MessageView> {
  return buildMessageViewFromParsed(stored, await parseMessage(raw), { remote: 'no', attachedPath: [] });
}
