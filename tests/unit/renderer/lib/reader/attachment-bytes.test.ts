import { describe, expect, it } from 'vitest';
import type { MessageView, WireReply } from '../../../../../src-main/api/contract';
import { ApiClient } from '../../../../../src-renderer/src/lib/api/client';
import type { Transport } from '../../../../../src-renderer/src/lib/api/transport';
import {
  AttachmentTooLargeError,
  attachmentBlob,
  MAX_PREVIEW_BYTES,
  previewKind,
} from '../../../../../src-renderer/src/lib/reader/attachment-bytes';

const CHUNK = 1024 * 1024;

/** Serves attachment.content from one buffer, CHUNK bytes per reply, and records every offset asked. */
class AttachmentTransport implements Transport {
  readonly offsets: number[] = [];
  constructor(
    private readonly bytes: Buffer,
    private readonly contentType: string,
    private readonly size = bytes.length,
  ) {}
  async call(method: string, params: unknown): Promise<WireReply> {
    if (method !== 'attachment.content') throw new Error(`unexpected ${method}`);
    const offset = (params as { offset: number }).offset;
    this.offsets.push(offset);
    const end = Math.min(this.bytes.length, offset + CHUNK);
    return {
      ok: true,
      result: {
        filename: 'file.bin',
        contentType: this.contentType,
        size: this.size,
        offset,
        data: this.bytes.subarray(offset, end).toString('base64'),
        isLast: end >= this.bytes.length,
      },
    };
  }
  on(): () => void {
    return () => undefined;
  }
}

const message = { id: 3, attachedPath: [] } as unknown as MessageView;

describe('attachmentBlob', () => {
  it('joins the chunks in order into the exact bytes', async () => {
    const bytes = Buffer.alloc(CHUNK * 2 + 10, 7);
    bytes[CHUNK] = 1;
    const transport = new AttachmentTransport(bytes, 'application/octet-stream');
    const { blob, filename } = await attachmentBlob(new ApiClient(transport), message, 0, 'download');
    expect(transport.offsets).toEqual([0, CHUNK, CHUNK * 2]);
    expect(filename).toBe('file.bin');
    expect(Buffer.from(await blob.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('types a download as an opaque file, whatever the mail claimed, so it is never shown as a page', async () => {
    const transport = new AttachmentTransport(Buffer.from('<script>x</script>'), 'text/html');
    const { blob, kind } = await attachmentBlob(new ApiClient(transport), message, 0, 'preview');
    expect(kind).toBeNull();
    expect(blob.type).toBe('application/octet-stream');
  });

  it('keeps the type of a previewable image or PDF', async () => {
    const transport = new AttachmentTransport(Buffer.from('%PDF-1.4'), 'Application/PDF');
    const { blob, kind } = await attachmentBlob(new ApiClient(transport), message, 0, 'preview');
    expect(kind).toBe('pdf');
    expect(blob.type).toBe('application/pdf');
  });

  it('refuses to preview something larger than the preview limit', async () => {
    const transport = new AttachmentTransport(Buffer.alloc(10), 'image/png', MAX_PREVIEW_BYTES + 1);
    await expect(attachmentBlob(new ApiClient(transport), message, 0, 'preview')).rejects.toBeInstanceOf(
      AttachmentTooLargeError,
    );
  });
});

describe('previewKind', () => {
  it.each([
    ['image/png', 'image'],
    ['IMAGE/JPEG', 'image'],
    ['application/pdf', 'pdf'],
    ['image/svg+xml', null],
    ['text/html', null],
    ['message/rfc822', null],
  ])('%s -> %s', (type, kind) => {
    expect(previewKind(type)).toBe(kind);
  });
});
