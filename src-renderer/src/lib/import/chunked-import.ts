/**
 * Browser mode's import: the page cannot hand main a file path, so it streams the picked file in
 * slices of IMPORT_CHUNK_BYTES, base64 in JSON, awaiting each reply before sending the next (that
 * is the backpressure: main parses and stores as the bytes arrive, and at most one slice is in
 * flight). Electron's import uses `import.chooseFiles` instead and never comes here.
 */
import type { ApiClient } from '../api/client';
import type { ImportFormat, ImportResult } from '../api/contract-types';

/** Duplicates IMPORT_CHUNK_BYTES in src-main/api/contract.ts: the renderer may import only its types. */
export const IMPORT_CHUNK_BYTES = 1024 * 1024;

/** btoa takes a "binary string"; building it in slices keeps String.fromCharCode's arguments bounded. */
const BINARY_STRING_SLICE = 0x8000;

/** The picked file as the import needs it; a DOM File satisfies this. */
export interface ImportSource {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export type ImportCaller = Pick<ApiClient, 'call'>;

export function importFormatOf(file: Pick<ImportSource, 'name' | 'type'>): ImportFormat {
  return /\.eml$/i.test(file.name) || file.type === 'message/rfc822' ? 'eml' : 'mbox';
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += BINARY_STRING_SLICE) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + BINARY_STRING_SLICE));
  }
  return btoa(binary);
}

/**
 * Imports one file into a folder. If a step fails the import is cancelled on the main side (best
 * effort) and the error is rethrown for the caller to show.
 */
export async function importInChunks(
  api: ImportCaller,
  folderId: number,
  file: ImportSource,
  onImportId: (importId: string) => void = () => {},
): Promise<ImportResult> {
  const { importId } = await api.call('import.begin', {
    folderId,
    fileName: file.name,
    format: importFormatOf(file),
    size: file.size,
  });
  onImportId(importId);
  try {
    for (let offset = 0; offset < file.size; offset += IMPORT_CHUNK_BYTES) {
      const slice = file.slice(offset, Math.min(offset + IMPORT_CHUNK_BYTES, file.size));
      const data = encodeBase64(new Uint8Array(await slice.arrayBuffer()));
      await api.call('import.chunk', { importId, data });
    }
    return await api.call('import.finish', { importId });
  } catch (error) {
    await api.call('import.cancel', { importId }).catch(() => {
      // The import may already be gone on the main side; the first error is the one to report.
    });
    throw error;
  }
}
