/**
 * One POP3 session of a check: list, delete what is due, download what is new, QUIT.
 *
 * The order is what makes it safe to kill at any moment (RFC 1939 §6: DELE only marks a message;
 * QUIT applies the marks, and a session that ends without QUIT applies none):
 *   RETR -> .eml fsynced -> row + search text + ledger committed -> DELE ... -> sync -> QUIT.
 * A DELE is only ever sent for a committed message, so whatever ends the session, the server
 * removes nothing that is not stored here; what was stored but not yet removed has a stored
 * unique-id and is deleted by the next check without being downloaded again.
 */
import { createHash } from 'node:crypto';
import { MailError } from '../../domain/errors';
import type { Folder } from '../../domain/folder';
import type { Logger } from '../../domain/logger';
import { DEFAULT_MAX_MULTI_LINE_BYTES, type Pop3Client } from '../../protocols/pop3';
import type { SqliteMailStore } from '../../store/mail-store';
import type { Pop3AccountSettings } from './account-settings';
import { addProblem, emptyResult, isMessageRefusal } from './check-result';
import type { CheckResult } from './check-result';
import { deletesRightAfterStoring, planCheck } from './check-plan';
import type { PlannedDeletion, PlannedDownload, ServerMessage } from './check-plan';
import { IngestPipeline } from './ingest-pipeline';
import type { BatchLimits, CommittedMessage, Pop3IngestStore, RetrievedMessage } from './ingest-pipeline';
import type { ProgressReporter } from './progress';

/**
 * A batch commits at this many messages (each batch costs one file-system flush and one
 * transaction: 500 halves a 5,000-message download's flushes and commits against 200) ...
 */
export const BATCH_MAX_MESSAGES = 500;
/** ... or this many bytes, which bounds the memory a batch holds ... */
export const BATCH_MAX_BYTES = 32 * 1024 * 1024;
/** ... or once its first message waited this long: on a slow line mail still shows as it comes. */
export const BATCH_MAX_WAIT_MS = 1_000;
/**
 * One pipelined RETR run covers this many messages; their DELEs follow it (a DELE cannot be sent
 * in the middle of the run). A cut connection leaves at most this many stored messages on the
 * server, and the next check deletes them without downloading them again.
 */
export const RETR_RUN_MESSAGES = 1_000;
/** Deletions of stored messages are reported in steps of this many. */
export const DELE_PROGRESS_STEP = 500;
/** Without UIDL a message is known by its bytes: the same message downloaded twice is stored once. */
export const CONTENT_ID_PREFIX = 'sha256:';

export type Pop3SessionStore = Pop3IngestStore & Pick<SqliteMailStore, 'syncToDisk'>;
export type { BatchLimits };

export interface SessionContext {
  store: Pop3SessionStore;
  settings: Pop3AccountSettings;
  inbox: Folder;
  progress: ProgressReporter;
  now: () => number;
  batchLimits: BatchLimits;
  /** Called after each committed batch with the number of new rows. */
  onStored: (count: number) => void;
  logger?: Logger;
}

interface RunOutcome {
  committed: CommittedMessage[];
  delivered: Set<number>;
  /** What ended the run early, if anything: a storage failure first, else what the server did. */
  error: unknown;
  /** The session can go on: no error, a -ERR for one message, or a storage failure (retrMany drained). */
  isSessionUsable: boolean;
}

function tooLargeError(size: number): MailError {
  return new MailError('MALFORMED_MESSAGE', 'The message is too large to download.', {
    detail: `${size} octets, the limit is ${DEFAULT_MAX_MULTI_LINE_BYTES}`,
    retryable: false,
  });
}

export function contentId(raw: Buffer): string {
  return CONTENT_ID_PREFIX + createHash('sha256').update(raw).digest('hex');
}

export class CheckSession {
  readonly result: CheckResult;
  private downloadTotal = 0;
  private downloadDone = 0;

  constructor(
    private readonly context: SessionContext,
    private readonly client: Pop3Client,
  ) {
    this.result = emptyResult(context.settings.accountId);
  }

  /** Runs the session to QUIT; on failure the client is ended (QUIT if possible) and the error thrown. */
  async run(): Promise<CheckResult> {
    try {
      this.context.progress.report('listing', 0, 0);
      const uidls = await this.client.uidl();
      const sizes = await this.client.list();
      this.result.onServer = sizes.size;
      if (uidls === null) await this.downloadByNumber(sizes);
      else await this.syncByUidl(uidls, sizes);
    } catch (error) {
      await this.endAfterFailure();
      throw error;
    }
    await this.quit();
    return this.result;
  }

  private async syncByUidl(uidls: Map<number, string>, sizes: Map<number, number>): Promise<void> {
    const { store, settings } = this.context;
    const server: ServerMessage[] = [...uidls].map(([number, uidl]) => ({
      number,
      uidl,
      size: sizes.get(number) ?? 0,
    }));
    const plan = planCheck({
      server,
      ledger: store.pop3Uidls.entries(settings.accountId),
      stored: store.pop3Uidls.storedUidls(settings.accountId),
      options: settings,
      now: this.context.now(),
      maxWholeMessageBytes: DEFAULT_MAX_MULTI_LINE_BYTES,
    });
    this.result.keptOnServer = plan.kept;
    // Unique-ids that left the server cannot come back (RFC 1939 §7): forget them.
    store.pop3Uidls.pruneAbsent(settings.accountId, uidls.values());
    await this.deleteStored(plan.deletions);
    const canTop = !this.client.capabilities.isAdvertised || this.client.capabilities.hasTop;
    // Without TOP (RFC 2449 §6.1: a server with CAPA lists it) a large message is downloaded whole.
    const isHeadersOnly = (d: PlannedDownload): boolean => canTop && d.isHeadersOnly;
    this.downloadTotal = plan.downloads.length;
    await this.downloadWhole(
      plan.downloads.filter((d) => !isHeadersOnly(d)).map((d) => ({ ...d, isHeadersOnly: false })),
      true,
    );
    await this.downloadHeaders(plan.downloads.filter(isHeadersOnly));
    if (!deletesRightAfterStoring(settings)) this.result.keptOnServer += this.result.downloaded;
    this.result.keptOnServer += this.result.headersOnly;
  }

  /** A server without UIDL: download and delete everything; a content hash stands in for the unique-id. */
  private async downloadByNumber(sizes: Map<number, number>): Promise<void> {
    this.result.hasUidl = false;
    if (this.context.settings.leaveOnServer) {
      throw new MailError(
        'SERVER_REJECTED',
        'This mail server cannot tell messages apart (it has no UIDL), so "Leave messages on server" cannot work. Turn it off to download mail from this server.',
        { detail: 'UIDL answered -ERR', retryable: false },
      );
    }
    const all = [...sizes]
      .sort(([a], [b]) => a - b)
      .map(([number, size]): PlannedDownload => ({ number, uidl: '', size, isHeadersOnly: false }));
    // Too large to retrieve, and without a unique-id there is no coming back for it later: it stays.
    for (const tooLarge of all.filter((d) => d.size > DEFAULT_MAX_MULTI_LINE_BYTES)) {
      this.recordFailure(tooLarge.number, 'RETR', tooLargeError(tooLarge.size));
    }
    const retrievable = all.filter((d) => d.size <= DEFAULT_MAX_MULTI_LINE_BYTES);
    this.downloadTotal = all.length;
    await this.downloadWhole(retrievable, false);
  }

  /** RFC 1939 §6: DELE for messages already stored (an earlier run's, or due by the options). */
  private async deleteStored(deletions: readonly PlannedDeletion[]): Promise<void> {
    for (let done = 0; done < deletions.length; done += DELE_PROGRESS_STEP) {
      this.context.progress.report('deleting', done, deletions.length);
      await this.dele(deletions.slice(done, done + DELE_PROGRESS_STEP).map((d) => d.number));
    }
    if (deletions.length > 0) this.context.progress.report('deleting', deletions.length, deletions.length);
  }

  private async downloadWhole(downloads: readonly PlannedDownload[], isServerUidl: boolean): Promise<void> {
    const deleteAfter = !isServerUidl || deletesRightAfterStoring(this.context.settings);
    let queue = [...downloads];
    while (queue.length > 0) {
      const run = queue.slice(0, RETR_RUN_MESSAGES);
      queue = queue.slice(run.length);
      const outcome = await this.retrieve(run, isServerUidl);
      if (deleteAfter && outcome.isSessionUsable) {
        try {
          await this.dele(outcome.committed.map((message) => message.number));
        } catch (error) {
          throw outcome.error ?? error;
        }
      }
      if (outcome.error === null) continue;
      if (!isMessageRefusal(outcome.error)) throw outcome.error;
      // retrMany stops at the first -ERR: that message is skipped, the rest go back in the queue.
      const [refused, ...rest] = run.filter((d) => !outcome.delivered.has(d.number));
      if (refused) this.recordFailure(refused.number, 'RETR', outcome.error);
      queue = [...rest, ...queue];
    }
  }

  /** Above the size limit: RFC 1939 §7 TOP n 0 gives the header; the size shown is LIST's. */
  private async downloadHeaders(downloads: readonly PlannedDownload[]): Promise<void> {
    const pipeline = this.pipeline(() => undefined);
    try {
      for (const download of downloads) {
        let raw: Buffer;
        try {
          raw = await this.client.top(download.number, 0);
        } catch (error) {
          if (!isMessageRefusal(error)) throw error;
          this.recordFailure(download.number, 'TOP', error);
          continue;
        }
        await pipeline.add({
          ...download,
          isServerUidl: true,
          raw,
          serverSize: download.size,
          isHeadersOnly: true,
        });
      }
    } finally {
      await pipeline.drain(); // what arrived is kept, whatever ended the loop
    }
  }

  /**
   * RETRs a run of messages (pipelined when the server offers PIPELINING, RFC 2449 §6.6) into the
   * ingest pipeline and commits what arrived whole, even when the run ended in an error: a
   * message that is stored need not be downloaded again. Never throws; the outcome says why it
   * stopped.
   */
  private async retrieve(run: readonly PlannedDownload[], isServerUidl: boolean): Promise<RunOutcome> {
    const committed: CommittedMessage[] = [];
    const pipeline = this.pipeline((batch) => committed.push(...batch));
    const byNumber = new Map(run.map((d) => [d.number, d]));
    const delivered = new Set<number>();
    let networkError: unknown = null;
    try {
      await this.client.retrMany(
        run.map((d) => d.number),
        async (number, raw) => {
          delivered.add(number);
          const planned = byNumber.get(number);
          const message: RetrievedMessage = {
            number,
            uidl: isServerUidl && planned ? planned.uidl : contentId(raw),
            isServerUidl,
            raw,
            serverSize: planned?.size ?? raw.length,
            isHeadersOnly: false,
          };
          await pipeline.add(message);
        },
      );
    } catch (caught) {
      networkError = caught; // or the pipeline's own failure, which drain() reports below
    }
    try {
      await pipeline.drain();
    } catch (storageError) {
      return { committed, delivered, error: storageError, isSessionUsable: true };
    }
    const isSessionUsable = networkError === null || isMessageRefusal(networkError);
    return { committed, delivered, error: networkError, isSessionUsable };
  }

  private pipeline(onCommitted: (committed: CommittedMessage[]) => void): IngestPipeline {
    const { store, inbox, now, batchLimits } = this.context;
    return new IngestPipeline(store, inbox, now, batchLimits, (committed) => {
      onCommitted(committed);
      this.afterCommit(committed);
    });
  }

  private afterCommit(committed: readonly CommittedMessage[]): void {
    let added = 0;
    for (const message of committed) {
      if (message.messageId === null) continue;
      added += 1;
      if (message.isHeadersOnly) this.result.headersOnly += 1;
      else this.result.downloaded += 1;
    }
    this.downloadDone += committed.length;
    if (added > 0) this.context.onStored(added);
    this.context.progress.report('downloading', this.downloadDone, this.downloadTotal);
  }

  /**
   * RFC 1939 §6 DELE for committed messages, pipelined (RFC 2449 §6.6) so that deleting a
   * thousand messages costs about one round trip, not a thousand. A message the server refuses
   * to delete stays there and is deleted by a later check; any other -ERR ends the session.
   */
  private async dele(numbers: readonly number[]): Promise<void> {
    if (numbers.length === 0) return;
    const outcomes = await this.client.deleMany(numbers);
    const failures: MailError[] = [];
    for (const [index, error] of outcomes.entries()) {
      if (error === null) {
        this.result.deletedFromServer += 1;
      } else if (isMessageRefusal(error)) {
        this.result.deleteRefused += 1;
        addProblem(
          this.result,
          `Message ${numbers[index]} could not be deleted from the server: ${error.detail ?? error.message}`,
        );
      } else {
        failures.push(error);
      }
    }
    if (failures[0] !== undefined) throw failures[0];
  }

  private recordFailure(number: number, command: 'RETR' | 'TOP', error: MailError): void {
    this.result.failed += 1;
    this.downloadDone += 1;
    addProblem(
      this.result,
      `Message ${number} could not be downloaded (${command}): ${error.detail ?? error.message}`,
    );
  }

  /**
   * RFC 1939 §6: QUIT makes the DELEs final, so first every committed row is made to survive a
   * power cut too. A QUIT the server refuses or that is cut off leaves the marked messages on the
   * server; they are stored here, and the next check deletes them.
   */
  private async quit(): Promise<void> {
    try {
      this.context.store.syncToDisk();
    } catch (error) {
      this.client.close(); // without QUIT the server applies none of this session's DELEs
      throw error;
    }
    try {
      await this.client.quit();
    } catch (error) {
      const reason = error instanceof MailError ? (error.detail ?? error.message) : String(error);
      addProblem(this.result, `The server did not confirm the deletions; they will be retried: ${reason}`);
      this.context.logger?.warn('pop3: QUIT failed', reason);
    }
  }

  /**
   * After a failure: every DELE sent so far was for a committed message, so QUIT is still safe
   * and saves the next check some work. A broken connection fails at once, and that is fine.
   */
  private async endAfterFailure(): Promise<void> {
    try {
      this.context.store.syncToDisk();
      await this.client.quit();
    } catch {
      this.client.close();
    }
  }
}
