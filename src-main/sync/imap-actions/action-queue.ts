/**
 * The durable queue of IMAP actions (pending_actions, 004-pending-actions.sql). The store-level
 * actions (sync/mail-actions) call `enqueue` inside the transaction that changes the rows, so a
 * change is either both here and in the store or in neither; the IMAP engine calls `replay` after
 * each connect, before it pulls changes, so the server hears our changes before we hear its.
 *
 * Replay sends the account's actions oldest first, one at a time: 'sending' is committed before
 * the command goes out and the row is deleted (with the UIDs the server told us) after it came
 * back. A lost connection stops the replay and leaves the action for the next session; a refusal
 * is retried on a few sessions and then set aside as 'failed', so one bad action cannot hold the
 * account's queue forever.
 */
import { assertNever, isMailError, MailError, type ErrorCode } from '../../domain/errors';
import type { AccountId, MessageId } from '../../domain/ids';
import type { ImapSession } from '../../protocols/imap';
import type { SqliteMailStore } from '../../store/mail-store';
import type { NewPendingAction, PendingAction } from '../../store/pending-actions-repo';
import type { PendingServerActions } from '../engines/account-engine';
import { replayFolderCreate, replayFolderDelete, replayFolderRename } from './folder-replay';
import {
  replayAppend,
  replayExpunge,
  replayFlags,
  replayMoveOrCopy,
  type ReplayContext,
  type ReplayOutcome,
} from './message-replay';
import { ServerFolders } from './server-folders';

/** A refused action is tried on this many sessions before it is set aside. */
export const MAX_REPLAY_ATTEMPTS = 3;
/** Actions sent per replay call: a bound, far above any real backlog. */
export const MAX_ACTIONS_PER_REPLAY = 100_000;

/**
 * Errors that say "the server or the network is not there right now", not "the server refused this
 * action": the action waits for the next session without counting as an attempt.
 */
const CONNECTION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AUTH_FAILED',
  'TLS_UNTRUSTED',
  'TLS_FAILED',
  'DNS_FAILED',
  'CONNECT_FAILED',
  'CONNECTION_LOST',
  'TIMEOUT',
  'SERVER_BUSY',
  'CANCELLED',
  // Our side: a full disk is not the action's fault either.
  'DISK_FULL',
]);

export type ImapActionStore = Pick<
  SqliteMailStore,
  'pendingActions' | 'messages' | 'emlFiles' | 'transaction'
>;

export class ImapActionQueue implements PendingServerActions<ImapSession> {
  readonly #store: ImapActionStore;
  readonly #listeners = new Set<(accountId: AccountId) => void>();
  /** Per account, the replay running now: a second call waits for it instead of racing it. */
  readonly #running = new Map<AccountId, Promise<void>>();

  constructor(store: ImapActionStore) {
    this.#store = store;
  }

  /** Queues an action. Call inside the store transaction that made the local change. */
  enqueue(action: NewPendingAction): void {
    this.#store.pendingActions.enqueue(action);
  }

  /** Tells the engines that these accounts have new actions; call after the transaction committed. */
  announce(accountIds: Iterable<AccountId>): void {
    for (const accountId of new Set(accountIds)) {
      for (const listener of this.#listeners) {
        try {
          listener(accountId);
        } catch {
          // A broken listener must not stop the others.
        }
      }
    }
  }

  onQueued(listener: (accountId: AccountId) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  pendingCount(accountId: AccountId): number {
    return this.#store.pendingActions.count(accountId);
  }

  /** Local messages with changes not yet on the server: the sync leaves their flags alone. */
  pendingMessageIds(accountId: AccountId): Set<MessageId> {
    return this.#store.pendingActions.messageIds(accountId);
  }

  hasPendingFor(accountId: AccountId, folderPath: string): boolean {
    return this.#store.pendingActions.touchesFolder(accountId, folderPath);
  }

  replay(accountId: AccountId, session: ImapSession): Promise<void> {
    const previous = this.#running.get(accountId) ?? Promise.resolve();
    // Chained: actions queued while one replay runs are sent by the next, in order.
    const run = previous.catch(() => undefined).then(() => this.#replayNow(accountId, session));
    this.#running.set(accountId, run);
    void run
      .finally(() => {
        if (this.#running.get(accountId) === run) this.#running.delete(accountId);
      })
      .catch(() => undefined);
    return run;
  }

  async #replayNow(accountId: AccountId, session: ImapSession): Promise<void> {
    const folders = new ServerFolders(session);
    for (let sent = 0; sent < MAX_ACTIONS_PER_REPLAY; sent++) {
      const action = this.#store.pendingActions.next(accountId);
      if (!action) return;
      const mayHaveRun = action.state === 'sending';
      // A dead session sends nothing: the action must not be marked as possibly sent.
      if (!session.isUsable) {
        throw new MailError('CONNECTION_LOST', 'The connection to the mail server was lost.');
      }
      this.#store.transaction(() => this.#store.pendingActions.markSending(action.id));
      let outcome: ReplayOutcome;
      try {
        outcome = await this.#apply(action, { session, store: this.#store, folders, mayHaveRun });
      } catch (error) {
        const mailError = isMailError(error) ? error : session.fail(error);
        if (CONNECTION_CODES.has(mailError.code) || !session.isUsable) throw mailError;
        const giveUp = action.attempts + 1 >= MAX_REPLAY_ATTEMPTS;
        this.#store.transaction(() =>
          this.#store.pendingActions.recordFailure(action.id, describe(mailError), giveUp),
        );
        folders.invalidate();
        if (!giveUp) throw mailError;
        continue;
      }
      this.#store.transaction(() => this.#store.pendingActions.complete(action, outcome.learned));
    }
  }

  #apply(action: PendingAction, ctx: ReplayContext): Promise<ReplayOutcome> {
    switch (action.kind) {
      case 'flags':
        return replayFlags(action, ctx);
      case 'move':
        return replayMoveOrCopy(action, ctx, 'move');
      case 'copy':
        return replayMoveOrCopy(action, ctx, 'copy');
      case 'expunge':
        return replayExpunge(action, ctx);
      case 'append':
        return replayAppend(action, ctx);
      case 'folder_create':
        return replayFolderCreate(action, ctx);
      case 'folder_rename':
        return replayFolderRename(action, ctx);
      case 'folder_delete':
        return replayFolderDelete(action, ctx);
      default:
        return assertNever(action.kind);
    }
  }
}

function describe(error: MailError): string {
  return error.detail
    ? `${error.code}: ${error.message} (${error.detail})`
    : `${error.code}: ${error.message}`;
}
