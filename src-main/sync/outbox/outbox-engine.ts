/**
 * The durable outbox: "Send" stores the message first (its .eml, a row in the Local Folders
 * Outbox, an outbox row, all committed), then this engine submits it, one message at a time.
 *
 * Exactly once: the message keeps one Message-ID for every attempt, and the state is written
 * before the content goes out ('data', fsynced) and after the server's final 250 ('sent'). A
 * failure before DATA sent nothing and is retried with backoff when it can help (server down, no
 * network) or kept for the user with the server's words when it cannot (sign-in refused,
 * recipient refused, message too large). A break during DATA, or a restart found in 'data', is
 * "unknown": the message may have been delivered (RFC 5321 §4.1.1.4), so it is never resent
 * without the user asking. After 'sent' come the follow-ups: the Sent copy, \Answered or
 * $Forwarded on the original, removing the draft; they are retried alone, never the submission.
 */
import { MailError, isMailError } from '../../domain/errors';
import { asMessageId, type AccountId, type FolderId, type MessageId } from '../../domain/ids';
import { SmtpSubmitter, isDeliveryUnknown, type SmtpSubmitterOptions } from '../../protocols/smtp';
import type { SqliteMailStore } from '../../store/mail-store';
import type { OutboxError, OutboxItem } from '../../store/outbox-repo';
import { smtpOptionsFor, type AccountAccess } from './account-access';
import { runFollowUps, type FollowUpEvents } from './follow-ups';
import { ensureOutboxFolder, storeLocalMessage, deleteLocalMessages } from './local-copies';

/** Waits between attempts after a retryable failure; the last one repeats. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [15_000, 30_000, 60_000, 120_000, 300_000, 900_000];
/** Node timers overflow above 2^31-1 ms; a longer wait is re-armed. */
const MAX_TIMER_MS = 2_147_000_000;
/** How long closing the app waits for an attempt in progress. */
const STOP_WAIT_MS = 5_000;
/** Attempts per wake-up, so one pass over a large outbox cannot run without end. */
const MAX_ATTEMPTS_PER_PASS = 100;

export interface OutboxEvents extends FollowUpEvents {
  /** The outbox list or an item's state changed. */
  outboxChanged(): void;
  /** A folder was added to the tree (the Outbox, the first time). */
  folderAdded(accountId: AccountId): void;
}

export interface SmtpSender {
  send: SmtpSubmitter['send'];
}

export interface OutboxEngineOptions {
  store: SqliteMailStore;
  access: AccountAccess;
  events: OutboxEvents;
  retryDelaysMs?: readonly number[];
  now?: () => number;
  /** Replaces the real submitter (unit tests of the state machine). */
  submitterFor?: (options: SmtpSubmitterOptions) => SmtpSender;
}

export interface NewOutgoing {
  accountId: AccountId;
  raw: Buffer;
  messageIdHeader: string;
  envelopeFrom: string;
  recipients: readonly string[];
  subject: string;
  original: { messageId: number; kind: 'answered' | 'forwarded' } | null;
  draftMessageIdHeader: string | null;
}

export function toOutboxError(error: unknown): OutboxError {
  if (isMailError(error)) return { code: error.code, message: error.message, detail: error.detail ?? null };
  return { code: 'INTERNAL', message: 'An unexpected error occurred while sending.', detail: null };
}

export class OutboxEngine {
  readonly #store: SqliteMailStore;
  readonly #access: AccountAccess;
  readonly #events: OutboxEvents;
  readonly #delays: readonly number[];
  readonly #now: () => number;
  readonly #submitterFor: (options: SmtpSubmitterOptions) => SmtpSender;
  #timer: NodeJS.Timeout | null = null;
  #pass: Promise<void> | null = null;
  #isAgain = false;
  #isStopped = true;

  constructor(options: OutboxEngineOptions) {
    this.#store = options.store;
    this.#access = options.access;
    this.#events = options.events;
    this.#delays = options.retryDelaysMs?.length ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
    this.#now = options.now ?? Date.now;
    this.#submitterFor = options.submitterFor ?? ((o) => new SmtpSubmitter(o));
  }

  /** Picks up what a previous run left: interrupted attempts, and everything waiting goes now. */
  start(): void {
    this.#isStopped = false;
    const now = this.#now();
    this.#store.transaction(() => {
      this.#store.outbox.recoverInterrupted(now);
      // A new start is a new chance (the network or the server may be back): no waiting out old backoff.
      for (const item of this.#store.outbox.list()) {
        if (item.state === 'queued' || item.state === 'sent') this.#store.outbox.markQueuedAt(item.id, now);
      }
    });
    this.#wake();
  }

  /**
   * Stops scheduling and gives an attempt in progress a moment to end. One still running after
   * that (a server taking its time after DATA) is left: its state is written as it goes, and a
   * restart that finds it in 'data' treats it as unknown, never as unsent.
   */
  async stop(): Promise<void> {
    this.#isStopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const pass = this.#pass;
    if (!pass) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pass, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  list(): OutboxItem[] {
    return this.#store.outbox.list();
  }

  /** Stores the message durably in the Outbox, then schedules its submission. */
  async enqueue(outgoing: NewOutgoing): Promise<OutboxItem> {
    if (outgoing.recipients.length === 0) {
      throw new MailError('BAD_REQUEST', 'Add at least one recipient.', { retryable: false });
    }
    const { folder, isNew } = ensureOutboxFolder(this.#store);
    const { copy, result } = await storeLocalMessage(
      this.#store,
      folder,
      outgoing.raw,
      { seen: true },
      (copy) =>
        this.#store.outbox.insert({
          accountId: outgoing.accountId,
          messageId: copy.id,
          emlPath: copy.emlPath,
          messageIdHeader: outgoing.messageIdHeader,
          envelopeFrom: outgoing.envelopeFrom,
          recipients: outgoing.recipients,
          subject: outgoing.subject,
          size: outgoing.raw.length,
          original: outgoing.original,
          draftMessageIdHeader: outgoing.draftMessageIdHeader,
          createdAt: this.#now(),
        }),
    );
    if (isNew) this.#events.folderAdded(folder.accountId);
    this.#events.foldersChanged([copy.folderId]);
    this.#events.outboxChanged();
    this.#wake();
    return result;
  }

  /** "Retry now": also for a failed or unknown message, once the user decided to send it again. */
  retry(id: number): void {
    const item = this.#require(id);
    if (item.state === 'sending' || item.state === 'data') return;
    if (item.state === 'sent') this.#store.outbox.markQueuedAt(id, this.#now());
    else this.#store.outbox.markQueued(id, this.#now(), item.error);
    this.#events.outboxChanged();
    this.#wake();
  }

  /** Takes a message out of the Outbox for good (not while it is being sent). */
  async remove(id: number): Promise<void> {
    const item = this.#require(id);
    if (item.state === 'sending' || item.state === 'data') {
      throw new MailError('BAD_REQUEST', 'This message is being sent right now. Try again in a moment.', {
        retryable: true,
      });
    }
    await this.#finish(item);
  }

  #require(id: number): OutboxItem {
    const item = this.#store.outbox.get(id);
    if (!item)
      throw new MailError('NOT_FOUND', 'That message is no longer in the Outbox.', { retryable: false });
    return item;
  }

  #delayAfter(attempts: number): number {
    const index = Math.min(Math.max(attempts - 1, 0), this.#delays.length - 1);
    return this.#delays[index] ?? DEFAULT_RETRY_DELAYS_MS[0] ?? 15_000;
  }

  /** Runs a pass now, or right after the one in progress. */
  #wake(): void {
    if (this.#isStopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pass) {
      this.#isAgain = true;
      return;
    }
    // A failing pass (the store closed under it, a full disk) leaves every item in its last
    // written state; the next wake-up tries again.
    this.#pass = this.#runPass()
      .catch(() => undefined)
      .finally(() => {
        this.#pass = null;
        if (this.#isAgain) {
          this.#isAgain = false;
          this.#wake();
        } else this.#arm();
      });
  }

  #arm(): void {
    if (this.#isStopped) return;
    let at: number | null;
    try {
      at = this.#store.outbox.nextWakeAt();
    } catch {
      return; // the store is closing or broken: the next start or enqueue wakes the outbox again
    }
    if (at === null) return;
    const wait = Math.min(Math.max(at - this.#now(), 0), MAX_TIMER_MS);
    this.#timer = setTimeout(() => this.#wake(), wait);
    // The outbox never keeps the process alive on its own (tests, quitting).
    this.#timer.unref();
  }

  async #runPass(): Promise<void> {
    for (let n = 0; n < MAX_ATTEMPTS_PER_PASS && !this.#isStopped; n += 1) {
      const item = this.#store.outbox.nextDue(this.#now());
      if (!item) return;
      if (item.state === 'queued') await this.#submit(item);
      else await this.#followUp(item);
    }
  }

  async #submit(item: OutboxItem): Promise<void> {
    this.#store.outbox.markSending(item.id);
    this.#events.outboxChanged();
    const attempts = item.attempts + 1;
    try {
      const options = await smtpOptionsFor(this.#access, item.accountId);
      const raw = await this.#store.emlFiles.read(item.emlPath);
      const result = await this.#submitterFor(options).send(
        { from: item.envelopeFrom, to: item.recipients },
        raw,
        {
          onDataStart: () => {
            // Written and made durable before the first byte of content: see the top of this file.
            this.#store.outbox.markData(item.id);
            this.#store.syncToDisk();
          },
        },
      );
      this.#store.outbox.markSent(item.id, result.response, this.#now());
    } catch (error) {
      const failure = toOutboxError(error);
      if (isDeliveryUnknown(error)) this.#store.outbox.markStopped(item.id, 'unknown', failure);
      else if (isMailError(error) && error.retryable) {
        this.#store.outbox.markQueued(item.id, this.#now() + this.#delayAfter(attempts), failure);
      } else this.#store.outbox.markStopped(item.id, 'failed', failure);
      this.#events.outboxChanged();
      return;
    }
    this.#events.outboxChanged();
    const sent = this.#store.outbox.get(item.id);
    if (sent) await this.#followUp(sent);
  }

  async #followUp(item: OutboxItem): Promise<void> {
    try {
      await runFollowUps(this.#store, this.#access, this.#events, item);
    } catch (error) {
      this.#store.outbox.postponeFollowUp(item.id, this.#now() + this.#delayAfter(item.attempts + 1), {
        ...toOutboxError(error),
        message: `Sent. ${toOutboxError(error).message}`,
      });
      this.#events.outboxChanged();
      return;
    }
    await this.#finish(item);
  }

  /** The item leaves the Outbox: its row, its Outbox copy (unless that became the Sent copy), its file. */
  async #finish(item: OutboxItem): Promise<void> {
    const current = this.#store.outbox.get(item.id);
    const copyId: MessageId | null = current?.messageId ?? null;
    const copy = copyId === null ? null : this.#store.messages.get(copyId);
    const outboxFolder: FolderId | null = copy?.folderId ?? null;
    this.#store.transaction(() => this.#store.outbox.remove(item.id));
    // A copy still in the Outbox folder goes; one moved to Sent (POP3) stays.
    if (copy && copy.folderId === ensureOutboxFolder(this.#store).folder.id) {
      await deleteLocalMessages(this.#store, [asMessageId(copy.id)]);
    } else if (this.#store.outbox.usesOfEml(item.emlPath) === 0) {
      await this.#store.emlFiles.remove(item.emlPath).catch(() => undefined);
    }
    if (outboxFolder !== null) this.#events.foldersChanged([outboxFolder]);
    this.#events.outboxChanged();
  }
}
