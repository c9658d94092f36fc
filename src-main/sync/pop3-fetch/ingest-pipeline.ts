/**
 * Retrieved POP3 messages -> stored messages, in the order that makes a crash harmless: the .eml
 * files of a batch are written (on the file writer's thread, not this one), then made durable
 * together (EmlWriteBatch flushFileSystem: one syncfs for the batch where the platform has it, else
 * an fsync per file and one of the directory), and only then are the batch's rows and ledger
 * entries committed in one transaction.
 * A crash before a commit leaves at most unreferenced .eml files (never a row without its file,
 * and the orphan sweep removes them) and the messages are still on the server; the caller sends
 * DELE only for what `onCommitted` reported.
 *
 * Only what the list shows is read here (list-fields.ts: headers and MIME structure); the text for
 * the snippet and search is decoded later by the background indexer, which every new row is queued
 * for by trigger (search_pending), as for IMAP bodies.
 *
 * It is a pipeline so that the network, the disk and the database work at the same time: a full
 * batch is flushed and committed in the background, in order, while later messages keep arriving.
 * Bounds: writes in flight, and bytes received but not yet committed.
 */
import { NO_FLAGS } from '../../domain/flags';
import type { Folder } from '../../domain/folder';
import type { MessageId } from '../../domain/ids';
import type { IndexableMessage } from '../../mime/parse-for-index';
import type { EmlWriteBatch } from '../../store/eml-files';
import type { SqliteMailStore } from '../../store/mail-store';
import { toNewMessage } from '../message-ingest';
import { readListFields } from './list-fields';

/**
 * Writes in flight at once. The file writer's thread takes many per round trip (and waits up to
 * 2 ms to gather them, file-write-thread.ts), so a small window would leave it waiting for work.
 */
export const MAX_IN_FLIGHT_WRITES = 64;
/** Bytes received but not committed: bounds memory while the disk or the database lags behind. */
export const MAX_UNCOMMITTED_BYTES = 64 * 1024 * 1024;

export type Pop3IngestStore = Pick<SqliteMailStore, 'messages' | 'emlFiles' | 'pop3Uidls' | 'transaction'>;

export interface RetrievedMessage {
  /** The message number of this session, for the DELE that follows. */
  number: number;
  /** The server's unique-id, or a content hash when the server has no UIDL. */
  uidl: string;
  /** False for a content hash: the ledger tracks server unique-ids only. */
  isServerUidl: boolean;
  /** Handed over to the file writer by IngestPipeline.add: it reads as empty afterwards. */
  raw: Buffer;
  /** The size LIST gave (a headers-only copy shows the whole message's size). */
  serverSize: number;
  isHeadersOnly: boolean;
}

export interface CommittedMessage {
  number: number;
  uidl: string;
  isHeadersOnly: boolean;
  /** The new row, or null when the store already had this message (nothing was added). */
  messageId: MessageId | null;
}

export interface BatchLimits {
  maxMessages: number;
  maxBytes: number;
  /** A batch is cut when a message arrives this long (by `now`) after the batch's first one. */
  maxWaitMs: number;
}

type WriteOutcome = { ok: true; emlPath: string } | { ok: false; error: unknown };

interface PendingMessage {
  message: RetrievedMessage;
  /** raw.length, read before the bytes went to the file writer. */
  rawSize: number;
  parsed: IndexableMessage;
  written: Promise<WriteOutcome>;
}

interface OpenBatch {
  files: EmlWriteBatch;
  items: PendingMessage[];
  bytes: number;
  /** `now` when its first message was added. */
  startedAt: number;
}

export class IngestPipeline {
  private batch: OpenBatch;
  /** The chain of batch commits, in order. */
  private committing: Promise<void> = Promise.resolve();
  private inFlight: Array<Promise<WriteOutcome>> = [];
  private uncommittedBytes = 0;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly store: Pop3IngestStore,
    private readonly inbox: Folder,
    private readonly now: () => number,
    private readonly limits: BatchLimits,
    private readonly onCommitted: (committed: CommittedMessage[]) => void,
  ) {
    this.batch = this.newBatch();
  }

  /**
   * Writes the message and reads its list fields; waits only for the bounds. Throws the first storage
   * failure (a full disk), after which nothing more is accepted.
   */
  async add(message: RetrievedMessage): Promise<void> {
    this.throwIfFailed();
    // Everything wanted from the bytes is read first: the write hands them to the file writer's
    // thread (EmlWriteBatch with flushFileSystem), after which `raw` is empty here.
    const rawSize = message.raw.length;
    const parsed = readListFields(message.raw);
    const written = this.batch.files.write(message.raw).then(
      (emlPath): WriteOutcome => ({ ok: true, emlPath }),
      (error: unknown): WriteOutcome => ({ ok: false, error }),
    );
    this.inFlight.push(written);
    if (this.batch.items.length === 0) this.batch.startedAt = this.now();
    this.batch.items.push({ message, rawSize, parsed, written });
    this.batch.bytes += rawSize;
    this.uncommittedBytes += rawSize;
    if (
      this.batch.items.length >= this.limits.maxMessages ||
      this.batch.bytes >= this.limits.maxBytes ||
      this.now() - this.batch.startedAt >= this.limits.maxWaitMs
    ) {
      this.cutBatch();
    }
    while (this.inFlight.length >= MAX_IN_FLIGHT_WRITES) await this.inFlight.shift();
    if (this.uncommittedBytes >= MAX_UNCOMMITTED_BYTES) {
      this.cutBatch();
      await this.committing;
    }
    this.throwIfFailed(); // a commit that ran meanwhile may have failed
  }

  /** Commits everything added so far; throws the first failure. */
  async drain(): Promise<void> {
    this.cutBatch();
    await this.committing;
    this.inFlight = [];
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private newBatch(): OpenBatch {
    return {
      files: this.store.emlFiles.beginBatch({ flushFileSystem: true }),
      items: [],
      bytes: 0,
      startedAt: 0,
    };
  }

  private cutBatch(): void {
    if (this.batch.items.length === 0) return;
    const batch = this.batch;
    this.batch = this.newBatch();
    this.committing = this.committing.then(() => this.commit(batch));
  }

  private async commit(batch: OpenBatch): Promise<void> {
    const outcomes = await Promise.all(batch.items.map((item) => item.written));
    this.uncommittedBytes -= batch.bytes;
    const failed = outcomes.find((outcome): outcome is { ok: false; error: unknown } => !outcome.ok);
    // A failed write means the disk takes no more mail: this batch and every later one are dropped.
    if (failed) this.failure ??= { error: failed.error };
    if (this.failure) {
      await batch.files.discard();
      return;
    }
    try {
      // The files' directory entries must be durable before any row points at them.
      await batch.files.flush();
      const receivedAt = this.now();
      const duplicates: string[] = [];
      const committed = this.store.transaction(() =>
        batch.items.map((item, index) => {
          const outcome = outcomes[index];
          return this.insert(item, outcome?.ok ? outcome.emlPath : '', receivedAt, duplicates);
        }),
      );
      for (const emlPath of duplicates) await this.store.emlFiles.remove(emlPath).catch(() => undefined);
      this.onCommitted(committed);
    } catch (error) {
      this.failure = { error };
      await batch.files.discard();
    }
  }

  private insert(
    item: PendingMessage,
    emlPath: string,
    receivedAt: number,
    duplicates: string[],
  ): CommittedMessage {
    const { message, rawSize, parsed } = item;
    const { accountId } = this.inbox;
    const result = { number: message.number, uidl: message.uidl, isHeadersOnly: message.isHeadersOnly };
    // The unique index would refuse it anyway; checking first keeps the rest of the batch.
    if (this.store.pop3Uidls.isStored(accountId, message.uidl)) {
      duplicates.push(emlPath);
      return { ...result, messageId: null };
    }
    const messageId = this.store.messages.insert(
      toNewMessage(parsed, this.inbox, {
        emlPath,
        size: message.isHeadersOnly ? Math.max(message.serverSize, rawSize) : rawSize,
        receivedAt,
        flags: NO_FLAGS,
        pop3Uidl: message.uidl,
      }),
    );
    if (message.isServerUidl) {
      const state = message.isHeadersOnly ? 'headers_only' : 'downloaded';
      this.store.pop3Uidls.record(accountId, message.uidl, state, messageId, receivedAt);
    }
    return { ...result, messageId };
  }
}
