/**
 * Attachment bytes in the page (browser mode, and previews everywhere): read from main in chunks
 * (attachment.content) into a Blob whose type decides how the browser may treat it. Only raster
 * images and PDFs keep their type, for previews; a download is always application/octet-stream,
 * so no attachment is ever rendered as a page of this app's origin.
 */
import type { ApiClient } from '../api/client';
import type { MessageView } from '../api/contract-types';

/** Bigger attachments are not read into the page: 200 chunks of 1 MB. */
export const MAX_PAGE_ATTACHMENT_BYTES = 200 * 1024 * 1024;
/** Previews stop here; a bigger image or PDF can still be saved. */
export const MAX_PREVIEW_BYTES = 50 * 1024 * 1024;

const IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/gif',
  'image/jpeg',
  'image/jpg',
  'image/webp',
  'image/bmp',
  'image/avif',
]);
const PDF_TYPE = 'application/pdf';
const DOWNLOAD_TYPE = 'application/octet-stream';

export type PreviewKind = 'image' | 'pdf';

export function previewKind(contentType: string): PreviewKind | null {
  const type = contentType.toLowerCase();
  if (IMAGE_TYPES.has(type)) return 'image';
  if (type === PDF_TYPE) return 'pdf';
  return null;
}

export function isPreviewable(contentType: string): boolean {
  return previewKind(contentType) !== null;
}

function decodeBase64(data: string): Uint8Array<ArrayBuffer> {
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export class AttachmentTooLargeError extends Error {}

/**
 * Reads one attachment of `message` (or of the attached message it is) into a Blob. For a preview
 * the Blob carries the image/PDF type; otherwise it is an opaque download.
 */
export async function attachmentBlob(
  api: ApiClient,
  message: MessageView,
  index: number,
  purpose: 'preview' | 'download',
): Promise<{ blob: Blob; filename: string; kind: PreviewKind | null }> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  let filename = '';
  let contentType = '';
  // Bounded: every reply but the last advances offset by a full chunk, up to the size limit.
  for (let round = 0; round <= MAX_PAGE_ATTACHMENT_BYTES / (1024 * 1024) + 1; round++) {
    const chunk = await api.call('attachment.content', {
      messageId: message.id,
      attachedPath: message.attachedPath,
      index,
      offset,
    });
    const limit = purpose === 'preview' ? MAX_PREVIEW_BYTES : MAX_PAGE_ATTACHMENT_BYTES;
    if (chunk.size > limit) throw new AttachmentTooLargeError(chunk.filename);
    filename = chunk.filename;
    contentType = chunk.contentType;
    const bytes = decodeBase64(chunk.data);
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.isLast || bytes.length === 0) break;
  }
  const kind = purpose === 'preview' ? previewKind(contentType) : null;
  const type = kind === null ? DOWNLOAD_TYPE : contentType.toLowerCase();
  return { blob: new Blob(parts, { type }), filename, kind };
}
