/**
 * What every server account's background engine offers the app, whatever its protocol: the IMAP
 * sync engine (sync/imap-sync) and the POP3 engine (sync/pop3-fetch) both implement it, and the
 * AccountEngines registry (accounts-sync.ts) starts, stops and asks them. The API's "Get mail"
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

/** Builds the engine for one account of its kind; the AccountEngines registry calls it. */
export type EngineFactory = (accountId: AccountId) => AccountEngine;

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
}
