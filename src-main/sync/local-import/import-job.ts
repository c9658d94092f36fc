/**
 * One running import: raw messages in, rows out. Per message the .eml is written durably and the
 * message is parsed at the same time (fsync runs on libuv's thread pool while the parse runs here),
 * a few messages in flight; rows and their search text are committed in batches. A message that
 * cannot be read is stored as damaged, one that cannot be stored is counted as failed; only a
 * storage failure (full disk) stops the import.
 */
import { MailError } from '../../domain/errors';
import { NO_FLAGS } from '../../domain/flags';
import type { MessageFlags } from '../../domain/flags';
import type { Folder } from '../../domain/folder';
import { readHeaderBlock } from '../../mime/header-reader';
import type { IndexableMessage } from '../../mime/parse-for-index';
import type { EmlWriteBatch } from '../../store/eml-files';
import { parseForIngest, toNewMessage, toSearchDocument } from '../message-ingest';
import type {
  ImportFormat,
  ImportProgress,
  ImportResult,
  ImportState,
  ImportStore,
  MessageSplitter,
} from './import-types';
import { envelopeDate, flagsFromMboxHeaders } from './mbox-metadata';
import type { MboxEntry } from './mbox-splitter';

/** A batch commits at this many messages, ... */
export const BATCH_MAX_MESSAGES = 200;
/** ... or when its oldest message waited this long (so the list fills in while importing), ... */
export const BATCH_MAX_MS = 250;
/** ... or when its search text reaches this size (bounds memory with huge text bodies). */
export const BATCH_MAX_TEXT_CHARS = 8 * 1024 * 1024;
/** Messages being written at once: keeps libuv's thread pool (fsync) busy while this thread parses. */
export const MAX_IN_FLIGHT_MESSAGES = 16;
/** ... and their bytes, so a run of huge messages cannot pile up in memory. */
export const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
/** At most 10 progress events a second, plus the final one. */
export const PROGRESS_INTERVAL_MS = 100;
/** Per-message problems listed in the result; the counts include the rest. */
export const MAX_REPORTED_ERRORS = 20;

export interface ImportJobContext {
  importId: string;
  fileName: string;
  format: ImportFormat;
  totalBytes: number;
  folder: Folder;
  store: ImportStore;
  splitter: MessageSplitter;
  onProgress: (progress: ImportProgress) => void;
  onFolderChanged: (folderIds: Folder['id'][]) => void;
  now: () => number;
}

interface PreparedMessage {
  ordinal: number;
  emlPath: string;
  size: number;
  parsed: IndexableMessage;
  flags: MessageFlags;
  receivedAt: number;
}

type Settled = { ok: true; value: PreparedMessage } | { ok: false; error: unknown };

function settle(work: Promise<PreparedMessage>): Promise<Settled> {
  return work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

export class ImportJob {
  private batch: EmlWriteBatch;
  private batchStartedAt: number;
  private inFlight: Array<{ bytes: number; outcome: Promise<Settled> }> = [];
  private inFlightBytes = 0;
  private ready: PreparedMessage[] = [];
  private readyTextChars = 0;
  private ordinal = 0;
  private bytes = 0;
  private imported = 0;
  private damaged = 0;
  private failed = 0;
  private readonly errors: string[] = [];
  private state: ImportState = 'running';
  private lastProgressAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly context: ImportJobContext) {
    this.batch = context.store.emlFiles.beginBatch();
    this.batchStartedAt = context.now();
  }

  get importId(): string {
    return this.context.importId;
  }

  get receivedBytes(): number {
    return this.bytes;
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Feeds file bytes; resolves once the messages they completed are parsed and their writes queued. */
  async push(data: Buffer): Promise<void> {
    this.assertRunning();
    this.bytes += data.length;
    await this.guard(async () => {
      for (const entry of this.context.splitter.push(data)) await this.accept(entry);
      if (this.ready.length + this.inFlight.length > 0 && this.batchIsDue()) await this.commitBatch();
    });
    this.reportProgress(false);
  }

  async finish(): Promise<ImportResult> {
    this.assertRunning();
    await this.guard(async () => {
      for (const entry of this.context.splitter.end()) await this.accept(entry);
      await this.commitBatch();
    });
    return this.end('done');
  }

  /** Stops; what is already written is committed and stays (it is real mail). */
  async cancel(): Promise<ImportResult> {
    if (this.state !== 'running') return this.result();
    await this.guard(() => this.commitBatch());
    return this.end('cancelled');
  }

  result(): ImportResult {
    return {
      importId: this.context.importId,
      imported: this.imported,
      damaged: this.damaged,
      failed: this.failed,
      errors: [...this.errors],
    };
  }

  private assertRunning(): void {
    if (this.state !== 'running') {
      throw new MailError('NOT_FOUND', 'This import is no longer running.', { detail: this.state });
    }
  }

  /** A storage failure ends the import: uncommitted files are removed, the error goes to the caller. */
  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      await Promise.all(this.inFlight.map((task) => task.outcome));
      this.inFlight = [];
      this.inFlightBytes = 0;
      this.ready = [];
      await this.batch.discard();
      this.end('failed');
      throw error instanceof MailError
        ? error
        : new MailError('INTERNAL', 'The import stopped because of an unexpected error.', {
            detail: error instanceof Error ? error.message : String(error),
            cause: error,
          });
    }
  }

  private end(state: ImportState): ImportResult {
    this.state = state;
    this.reportProgress(true);
    return this.result();
  }

  private async accept(entry: MboxEntry): Promise<void> {
    const ordinal = ++this.ordinal;
    if (entry.kind === 'oversized') {
      const megabytes = Math.round(entry.bytes / (1024 * 1024));
      this.recordFailure(
        ordinal,
        null,
        `it is ${megabytes} MB, larger than the import limit, and was skipped`,
      );
      return;
    }
    this.inFlight.push({
      bytes: entry.raw.length,
      outcome: settle(this.prepare(entry.raw, entry.envelope, ordinal, this.batch)),
    });
    this.inFlightBytes += entry.raw.length;
    while (this.inFlight.length >= MAX_IN_FLIGHT_MESSAGES || this.inFlightBytes >= MAX_IN_FLIGHT_BYTES) {
      await this.collectOldest();
    }
    if (this.batchIsDue()) await this.commitBatch();
  }

  private async prepare(
    raw: Buffer,
    envelope: string | null,
    ordinal: number,
    batch: EmlWriteBatch,
  ): Promise<PreparedMessage> {
    // The write runs on libuv's thread pool (fsync included) while this thread parses.
    const writing = batch.write(raw);
    const parsed = parseForIngest(raw);
    const emlPath = await writing;
    const flags = this.context.format === 'mbox' ? flagsFromMboxHeaders(readHeaderBlock(raw)) : NO_FLAGS;
    const receivedAt = envelopeDate(envelope) ?? parsed.date ?? this.context.now();
    return { ordinal, emlPath, size: raw.length, parsed, flags, receivedAt };
  }

  private async collectOldest(): Promise<void> {
    const next = this.inFlight.shift();
    if (!next) return;
    this.inFlightBytes -= next.bytes;
    const outcome = await next.outcome;
    // Writing is the only step that can fail (parsing falls back), and a failed write means the
    // disk cannot take more mail: stop rather than fail every following message the same way.
    if (!outcome.ok) throw outcome.error;
    this.ready.push(outcome.value);
    this.readyTextChars += outcome.value.parsed.text.length;
  }

  private batchIsDue(): boolean {
    return (
      this.ready.length + this.inFlight.length >= BATCH_MAX_MESSAGES ||
      this.readyTextChars >= BATCH_MAX_TEXT_CHARS ||
      this.context.now() - this.batchStartedAt >= BATCH_MAX_MS
    );
  }

  private async commitBatch(): Promise<void> {
    while (this.inFlight.length > 0) await this.collectOldest();
    const messages = this.ready;
    if (messages.length > 0) {
      // The files' directory entries must be durable before any row points at them.
      await this.batch.flush();
      const refused = this.insertRows(messages);
      for (const emlPath of refused) await this.context.store.emlFiles.remove(emlPath).catch(() => undefined);
    }
    this.ready = [];
    this.readyTextChars = 0;
    this.batch = this.context.store.emlFiles.beginBatch();
    this.batchStartedAt = this.context.now();
    if (messages.length > 0) {
      this.context.onFolderChanged([this.context.folder.id]);
      this.reportProgress(false);
    }
  }

  /**
   * One transaction per batch. If the store refuses a row, the batch is redone with one savepoint
   * per message, so the refused message is the only one lost (the fast path has no savepoints).
   */
  private insertRows(messages: readonly PreparedMessage[]): string[] {
    try {
      this.context.store.transaction(() => {
        for (const message of messages) this.insertOne(message);
      });
    } catch {
      return this.insertRowsOneByOne(messages);
    }
    this.imported += messages.length;
    this.damaged += messages.filter((message) => message.parsed.isDamaged).length;
    return [];
  }

  private insertRowsOneByOne(messages: readonly PreparedMessage[]): string[] {
    const { store } = this.context;
    const stored: PreparedMessage[] = [];
    const refused: PreparedMessage[] = [];
    store.transaction(() => {
      for (const message of messages) {
        try {
          store.transaction(() => this.insertOne(message));
          stored.push(message);
        } catch {
          refused.push(message);
        }
      }
    });
    // Counted only once the transaction committed.
    this.imported += stored.length;
    this.damaged += stored.filter((message) => message.parsed.isDamaged).length;
    for (const message of refused)
      this.recordFailure(message.ordinal, message.parsed.subject, 'the mail store refused it');
    return refused.map((message) => message.emlPath);
  }

  private insertOne(message: PreparedMessage): void {
    const { store, folder } = this.context;
    const id = store.messages.insert(toNewMessage(message.parsed, folder, message));
    store.search.index(id, toSearchDocument(message.parsed));
  }

  private recordFailure(ordinal: number, subject: string | null, reason: string): void {
    this.failed++;
    if (this.errors.length >= MAX_REPORTED_ERRORS) return;
    const what = subject ? `Message ${ordinal} ("${subject.slice(0, 60)}")` : `Message ${ordinal}`;
    this.errors.push(`${what}: ${reason}.`);
  }

  private reportProgress(force: boolean): void {
    const now = this.context.now();
    if (!force && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    this.context.onProgress({
      importId: this.context.importId,
      fileName: this.context.fileName,
      messages: this.imported + this.failed,
      bytes: this.bytes,
      totalBytes: Math.max(this.context.totalBytes, this.bytes),
      state: this.state,
    });
  }
}
