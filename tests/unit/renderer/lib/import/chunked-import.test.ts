import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../../src-renderer/src/lib/api/client';
import type { Transport } from '../../../../../src-renderer/src/lib/api/transport';
import {
  encodeBase64,
  IMPORT_CHUNK_BYTES,
  importFormatOf,
  importInChunks,
} from '../../../../../src-renderer/src/lib/import/chunked-import';
import {
  IMPORT_CHUNK_BYTES as CONTRACT_CHUNK_BYTES,
  type WireReply,
} from '../../../../../src-main/api/contract';

interface Recorded {
  method: string;
  params: Record<string, unknown>;
}

/** Answers import.* like the main process would, and can fail one method. */
function importServer(failOn?: string) {
  const calls: Recorded[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    async call(method, params): Promise<WireReply> {
      calls.push({ method, params: params as Record<string, unknown> });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      if (method === failOn) {
        return { ok: false, error: { code: 'DISK_FULL', message: 'The disk is full.', retryable: false } };
      }
      switch (method) {
        case 'import.begin':
          return { ok: true, result: { importId: 'imp-1' } };
        case 'import.chunk':
          return { ok: true, result: { bytes: 0 } };
        case 'import.finish':
          return { ok: true, result: { importId: 'imp-1', imported: 2, damaged: 0, failed: 0, errors: [] } };
        default:
          return { ok: true, result: {} };
      }
    },
    on: () => () => {},
  };
  return { api: new ApiClient(transport), calls, maxInFlight: () => maxInFlight };
}

describe('browser-mode import', () => {
  it('uses the chunk size of the contract', () => {
    expect(IMPORT_CHUNK_BYTES).toBe(CONTRACT_CHUNK_BYTES);
  });

  it('tells .eml from mbox by name or type', () => {
    expect(importFormatOf({ name: 'note.EML', type: '' })).toBe('eml');
    expect(importFormatOf({ name: 'note', type: 'message/rfc822' })).toBe('eml');
    expect(importFormatOf({ name: 'Inbox.mbox', type: 'application/mbox' })).toBe('mbox');
    expect(importFormatOf({ name: 'Inbox', type: '' })).toBe('mbox');
  });

  it('encodes bytes as base64 exactly, including bytes above 127 and long runs', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256);
    expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(encodeBase64(new Uint8Array())).toBe('');
  });

  it('streams a file in 1 MiB slices, one reply at a time, and the bytes arrive intact', async () => {
    const content = Uint8Array.from({ length: 2 * IMPORT_CHUNK_BYTES + 123 }, (_, i) => (i * 31) % 256);
    const file = new File([content], 'big.mbox', { type: 'application/mbox' });
    const server = importServer();
    const result = await importInChunks(server.api, 5, file);

    expect(result).toMatchObject({ imported: 2 });
    expect(server.calls.map((c) => c.method)).toEqual([
      'import.begin',
      'import.chunk',
      'import.chunk',
      'import.chunk',
      'import.finish',
    ]);
    expect(server.calls[0]?.params).toEqual({
      folderId: 5,
      fileName: 'big.mbox',
      format: 'mbox',
      size: content.length,
    });
    const chunks = server.calls
      .filter((c) => c.method === 'import.chunk')
      .map((c) => Buffer.from(String(c.params.data), 'base64'));
    expect(chunks.map((c) => c.length)).toEqual([IMPORT_CHUNK_BYTES, IMPORT_CHUNK_BYTES, 123]);
    expect(Buffer.concat(chunks).equals(Buffer.from(content))).toBe(true);
    expect(server.maxInFlight()).toBe(1);
  });

  it('cancels the import on the main side when a chunk fails, and reports the error', async () => {
    const file = new File([new Uint8Array(10)], 'a.eml');
    const server = importServer('import.chunk');
    await expect(importInChunks(server.api, 5, file)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(server.calls.map((c) => c.method)).toEqual(['import.begin', 'import.chunk', 'import.cancel']);
  });
});
