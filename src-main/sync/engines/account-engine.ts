/**
 * What every server account's background engine offers the app, whatever its protocol: the IMAP
 * sync engine (sync/imap-sync) and the POP3 engine (sync/pop3-fetch) both implement it, and the
 * AccountEngines registry (account-engines.ts) starts, stops and asks them. The API's "Get mail"
 * (`mail.check`) and `sync.status` go through here.
 */
import type { AccountId, MessageId } from '../../domain/ids';

export type EngineState = 'idle' | 'syncing' | 'offline' | 'error';

export interface EngineStatus {
  accountId: AccountId;
  state: EngineState;
  /** In words for the user when state is offline or error (never a secret). */
  message: string | null;
  /** Changes made here that the server has not seen yet (IMAP's pending actions). */
  pendingActions: number;
  /**
   * POP3: "Get mail" came too soon after the last login for the server's LOGIN-DELAY (RFC 2449
   * §6.5); the check runs by itself at this time (ms since the epoch). Null or absent otherwise.
   */
  checkDeferredUntil?: number | null;
}

export interface AccountEngine {
  readonly accountId: AccountId;
  /** Begins background work (first sync, IDLE, periodic checks). Never throws: failures become status. */
  start(): void;
  /** Ends background work and closes connections; resolves when nothing runs any more. */
  stop(): Promise<void>;
  /** "Get mail": a check now; resolves when it ended (a failure is reported in the status, not thrown). */
  checkNow(): Promise<void>;
  status(): EngineStatus;
  /**
   * Downloads the whole message when only its headers are here (IMAP offline policy, POP3 size
   * limit), so that opening it shows the body; resolves at once when the body is already stored.
   */
  ensureBody(messageId: MessageId): Promise<void>;
}

/** What the registry hands each engine it builds. */
export interface EngineContext {
  /** Call whenever status() changed, so the registry can tell the UI (`sync.state`). */
  statusChanged(): void;
}

/**
 * Builds the engine for one account of its kind; the AccountEngines registry calls it. A factory
 * that takes only the account id is fine: the registry also publishes status after each check.
 */
export type EngineFactory = (accountId: AccountId, context: EngineContext) => AccountEngine;

/**
 * The IMAP engine and the action queue meet here: actions the user takes on an IMAP account are
 * applied to the store at once and queued durably (sync/imap-actions); the engine replays the queue
 * on every connection before it pulls changes, so a sync never undoes a change made here.
 */
export interface PendingServerActions<Session> {
  /** Sends this account's queued actions to the server in order, over the engine's session. */
  replay(accountId: AccountId, session: Session): Promise<void>;
  pendingCount(accountId: AccountId): number;
  /** Called when an action is queued, so the engine can connect and replay soon. */
  onQueued(listener: (accountId: AccountId) => void): () => void;
  /**
   * Whether actions on this folder are queued and not yet on the server: the sync then leaves the
   * folder's local state (flags, the folder itself) alone until the replay has run. Without it the
   * engine treats any pending action of the account as touching every folder.
   */
  hasPendingFor?(accountId: AccountId, folderPath: string): boolean;
  /**
   * The local messages with a queued change (flags, move, copy, delete) not yet on the server: a
   * finer-grained choice than hasPendingFor for leaving a message's flags and place alone.
   */
  pendingMessageIds?(accountId: AccountId): ReadonlySet<MessageId>;
}
