/**
 * Builds the reader's MessageView from a stored message: parsed in main, HTML sanitised here (the
 * only place mail HTML becomes displayable), inline cid: images turned into data: URLs so the
 * sandboxed frame needs no network, attachment names made safe before the UI ever sees them.
 */
import { parseMessage } from '../mime/parse';
import type { ParsedAttachment } from '../mime/parse';
import { sanitizeMailHtml } from '../mime/sanitize';
import { sanitizeAttachmentFilename } from '../mime/filename';
import type { StoredMessage } from '../store/message-rows';
import type { AttachmentRef, MessageView } from './contract';

/** Inline images larger than this stay attachments instead of data: URLs in the frame. */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;

function cidUrls(attachments: readonly ParsedAttachment[]): Map<string, string> {
  const urls = new Map<string, string>();
  for (const part of attachments) {
    if (!part.contentId || !part.contentType.startsWith('image/') || part.size > MAX_INLINE_IMAGE_BYTES)
      continue;
    urls.set(part.contentId, `data:${part.contentType};base64,${part.content.toString('base64')}`);
  }
  return urls;
}

export function attachmentRefs(attachments: readonly ParsedAttachment[]): AttachmentRef[] {
  return attachments.map((part, index) => ({
    index,
    filename: sanitizeAttachmentFilename(part.filename ?? undefined, `attachment-${index + 1}`),
    contentType: part.contentType,
    size: part.size,
    isInline: part.isInline,
  }));
}

export async function buildMessageView(stored: StoredMessage, raw: Buffer): Promise<MessageView> {
  const parsed = await parseMessage(raw);
  const safeHtml =
    parsed.html === null
      ? null
      : sanitizeMailHtml(parsed.html, { allowRemote: false, cidUrls: cidUrls(parsed.attachments) }).html;
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
    safeHtml,
    attachments: attachmentRefs(parsed.attachments),
    isSeen: stored.flags.seen,
    isFlagged: stored.flags.flagged,
    problems: parsed.problems,
  };
}
