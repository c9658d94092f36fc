/**
 * Importing .eml and mbox files into a local folder, for the API service: chunked (browser mode
 * streams a picked file through import.begin/chunk/finish) or straight from disk (Electron's file
 * dialog, and the benchmark). Each import is an ImportJob; this class keeps them apart, runs each
 * one's steps in order, and ends chunked imports the page abandoned.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { MailError } from '../../domain/errors';
import type { FolderId } from '../../domain/ids';
import { EmlCollector } from './eml-collector';
import { ImportJob } from './import-job';
import type {
  ImportFormat,
  ImportProgress,
  ImportResult,
  ImportStore,
  MessageSplitter,
} from './import-types';
import { MboxSplitter } from './mbox-splitter';

export type { ImportFormat, ImportProgress, ImportResult, ImportState, ImportStore } from './import-types';

/** A chunked import with no chunk for this long is cancelled (the page was closed or crashed). */
export const IMPORT_IDLE_TIMEOUT_MS = 5 * 60_000;
/** Imports running at once; a renderer cannot pile up unbounded state. */
export const MAX_ACTIVE_IMPORTS = 8;
/** Read size for importFile: large enough for few syscalls, small enough to keep memory flat. */
export const FILE_READ_CHUNK_BYTES = 1024 * 1024;

export interface LocalImporterOptions {
  store: ImportStore;
  /** import.progress events; throttled by the job. */
  onProgress: (progress: ImportProgress) => void;
  /** After each committed batch: refresh these folders' lists and counts. */
  onFolderChanged: (folderIds: FolderId[]) => void;
  idleTimeoutMs?: number;
  /** Largest single message accepted (default MAX_MBOX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
  now?: () => number;
}

export interface ImportBeginParams {
  folderId: FolderId;
  fileName: string;
  format: ImportFormat;
  /** The file's size as the page knows it, for the progress bar. */
  size: number;
}

interface RunningImport {
  job: ImportJob;
  /** The job's steps, one after another (a chunk must not overtake the one before it). */
  queue: Promise<unknown>;
  idleTimer: NodeJS.Timeout | null;
}

function splitterFor(format: ImportFormat, maxMessageBytes: number | undefined): MessageSplitter {
  return format === 'mbox' ? new MboxSplitter({ maxMessageBytes }) : new EmlCollector({ maxMessageBytes });
}

export class LocalImporter {
  private readonly running = new Map<string, RunningImport>();
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LocalImporterOptions) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? IMPORT_IDLE_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  begin(params: ImportBeginParams): string {
    return this.start(params, true).job.importId;
  }

  /** Feeds the next bytes; resolves with the bytes received so far once they are processed. */
  async chunk(importId: string, data: Buffer): Promise<number> {
    const running = this.find(importId);
    this.touch(importId, running);
    return this.enqueue(importId, running, async () => {
      await running.job.push(data);
      return running.job.receivedBytes;
    });
  }

  async finish(importId: string): Promise<ImportResult> {
    const running = this.find(importId);
    return this.enqueue(importId, running, () => running.job.finish()).finally(() => this.forget(importId));
  }

  async cancel(importId: string): Promise<void> {
    const running = this.running.get(importId);
    if (!running) return;
    await this.enqueue(importId, running, () => running.job.cancel()).finally(() => this.forget(importId));
  }

  /** Streams a file from disk through a new import; the importId is in its progress events. */
  async importFile(folderId: FolderId, absolutePath: string, format: ImportFormat): Promise<ImportResult> {
    const size = await fileSize(absolutePath);
    const running = this.start({ folderId, fileName: path.basename(absolutePath), format, size }, false);
    const { job } = running;
    const importId = job.importId;
    const stream = createReadStream(absolutePath, { highWaterMark: FILE_READ_CHUNK_BYTES });
    try {
      try {
        for await (const chunk of stream) {
          if (!job.isRunning) break; // cancelled from the UI
          await this.enqueue(importId, running, () => job.push(chunk as Buffer));
        }
      } catch (error) {
        if (error instanceof MailError) throw error;
        await this.enqueue(importId, running, () => job.cancel());
        throw fileError(error);
      }
      return job.isRunning ? await this.enqueue(importId, running, () => job.finish()) : job.result();
    } finally {
      stream.destroy();
      this.forget(importId);
    }
  }

  /** Cancels every running import (the app is quitting). */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((importId) => this.cancel(importId)));
  }

  private start(params: ImportBeginParams, isChunked: boolean): RunningImport {
    if (this.running.size >= MAX_ACTIVE_IMPORTS) {
      throw new MailError('BAD_REQUEST', 'Too many imports are running. Wait for one to finish.');
    }
    const folder = this.options.store.folders.get(params.folderId);
    if (!folder) throw new MailError('NOT_FOUND', 'The folder to import into no longer exists.');
    const importId = randomUUID();
    const job = new ImportJob({
      importId,
      fileName: params.fileName,
      format: params.format,
      totalBytes: params.size,
      folder,
      store: this.options.store,
      splitter: splitterFor(params.format, this.options.maxMessageBytes),
      onProgress: this.options.onProgress,
      onFolderChanged: this.options.onFolderChanged,
      now: this.now,
    });
    const running: RunningImport = { job, queue: Promise.resolve(), idleTimer: null };
    this.running.set(importId, running);
    if (isChunked) this.touch(importId, running);
    return running;
  }

  private find(importId: string): RunningImport {
    const running = this.running.get(importId);
    if (!running) throw new MailError('NOT_FOUND', 'This import is no longer running.');
    return running;
  }

  private enqueue<T>(importId: string, running: RunningImport, step: () => Promise<T>): Promise<T> {
    const result = running.queue.then(step);
    running.queue = result.catch(() => undefined);
    // A failed step ended the job (ImportJob.guard): forget it so later calls get NOT_FOUND.
    result.catch(() => this.forget(importId));
    return result;
  }

  /** Restarts the idle clock of a chunked import. */
  private touch(importId: string, running: RunningImport): void {
    if (running.idleTimer) clearTimeout(running.idleTimer);
    running.idleTimer = setTimeout(
      () => void this.cancel(importId).catch(() => undefined),
      this.idleTimeoutMs,
    );
    running.idleTimer.unref();
  }

  private forget(importId: string): void {
    const running = this.running.get(importId);
    if (running?.idleTimer) clearTimeout(running.idleTimer);
    this.running.delete(importId);
  }
}

async function fileSize(absolutePath: string): Promise<number> {
  try {
    const info = await stat(absolutePath);
    if (!info.isFile())
      throw new MailError('BAD_REQUEST', 'Only files can be imported.', { detail: absolutePath });
    return info.size;
  } catch (error) {
    throw fileError(error);
  }
}

function fileError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') return new MailError('NOT_FOUND', 'The file to import was not found.', { detail });
  return new MailError('INTERNAL', 'The file to import could not be read.', { detail, cause: error });
}
