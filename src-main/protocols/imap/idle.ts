import type { ExistsEvent, ExpungeEvent, FlagsEvent } from 'imapflow';
import { flagsFromImap, type MessageFlags } from '../../domain/flags';
import type { ImapSession } from './session';

/**
 * Push for one mailbox: IDLE (RFC 2177) when the server has it, else NOOP every N seconds
 * (RFC 3501 §6.1.2: NOOP lets the server report EXISTS/EXPUNGE/FETCH). With QRESYNC enabled,
 * expunges arrive as VANISHED and carry the UID (RFC 7162 §3.2.10); otherwise only the sequence
 * number.
 *
 * Give the watch a session of its own: an idling connection does nothing else, and IDLE covers
 * only the selected mailbox, so a command that selects another folder on this session would leave
 * the watch blind until it ends.
 */

export type MailboxEvent =
  /** New mail: the message count grew (or shrank by a plain EXPUNGE count update). */
  | { type: 'exists'; path: string; count: number; previousCount: number }
  | { type: 'expunge'; path: string; uid: number | null; seq: number | null }
  | {
      type: 'flags';
      path: string;
      uid: number | null;
      seq: number;
      flags: MessageFlags;
      modseq: bigint | null;
    };

export interface WatchOptions {
  /** Poll interval when the server has no IDLE. */
  pollIntervalMs?: number;
  /** Poll even if IDLE is offered (for servers whose IDLE is known to be broken). */
  preferPolling?: boolean;
}

export interface MailboxWatch {
  readonly path: string;
  readonly mode: 'idle' | 'poll';
  /** Ends IDLE (DONE) or polling and stops reporting; the session stays open. */
  stop(): Promise<void>;
}

export const DEFAULT_POLL_INTERVAL_MS = 60_000;
export const MIN_POLL_INTERVAL_MS = 1_000;
/** An IDLE that ended faster than this was not really entered; pause before trying again. */
const MIN_IDLE_CYCLE_MS = 50;
const IDLE_RETRY_PAUSE_MS = 1_000;
/** stop() waits at most this long for the IDLE to end before detaching anyway. */
const STOP_TIMEOUT_MS = 10_000;
const STOP_CHECK_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function watchMailbox(
  session: ImapSession,
  path: string,
  onEvent: (event: MailboxEvent) => void,
  options: WatchOptions = {},
): Promise<MailboxWatch> {
  const { client } = session;
  // mailboxOpen, not a lock: imapflow never IDLEs while a lock is held.
  const opened = await session.command((c) => c.mailboxOpen(path));
  const watchedPath = opened.path;

  const onExists = (e: ExistsEvent): void => {
    if (e.path === watchedPath)
      onEvent({ type: 'exists', path: e.path, count: e.count, previousCount: e.prevCount });
  };
  const onExpunge = (e: ExpungeEvent): void => {
    if (e.path === watchedPath)
      onEvent({ type: 'expunge', path: e.path, uid: e.uid ?? null, seq: e.seq ?? null });
  };
  const onFlags = (e: FlagsEvent): void => {
    if (e.path !== watchedPath) return;
    const flags = flagsFromImap(e.flags);
    onEvent({ type: 'flags', path: e.path, uid: e.uid ?? null, seq: e.seq, flags, modseq: e.modseq ?? null });
  };
  client.on('exists', onExists);
  client.on('expunge', onExpunge);
  client.on('flags', onFlags);

  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let wakePoll: (() => void) | undefined;
  const mode: MailboxWatch['mode'] = session.capabilities.idle && !options.preferPolling ? 'idle' : 'poll';
  const interval = Math.max(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS);

  /** Selects the watched mailbox again if a command on this session selected another one. */
  const ensureSelected = async (): Promise<boolean> => {
    if (client.mailbox !== false && client.mailbox.path === watchedPath) return true;
    return client.mailboxOpen(watchedPath).then(
      () => true,
      () => false,
    );
  };

  const idleLoop = async (): Promise<void> => {
    while (!stopped && session.isUsable) {
      const started = Date.now();
      // whenFree: start only between the commands of others on this connection. Returns when a
      // command breaks the IDLE (imapflow sends DONE first) or the connection ends.
      const result = await client.idle({ whenFree: true }).catch(() => false as const);
      if (stopped || !session.isUsable) return;
      if (result === false) return pollLoop(); // the server refused IDLE after all
      if (!(await ensureSelected())) return;
      if (Date.now() - started < MIN_IDLE_CYCLE_MS) await sleep(IDLE_RETRY_PAUSE_MS);
    }
  };

  const pollLoop = async (): Promise<void> => {
    while (!stopped && session.isUsable) {
      await new Promise<void>((resolve) => {
        wakePoll = resolve;
        pollTimer = setTimeout(resolve, interval);
      });
      if (stopped || !session.isUsable) return;
      if (!(await ensureSelected())) return;
      await client.noop().catch(() => undefined); // a failure shows as an unusable session
    }
  };

  let finished = false;
  const loop = (mode === 'idle' ? idleLoop() : pollLoop()).finally(() => {
    finished = true;
  });

  return {
    path: watchedPath,
    mode,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(pollTimer);
      wakePoll?.();
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (!finished && session.isUsable && Date.now() < deadline) {
        // Any command ends IDLE: imapflow writes DONE (RFC 2177 §3) before sending it.
        if (client.idling) await client.noop().catch(() => undefined);
        await Promise.race([loop, sleep(STOP_CHECK_MS)]);
      }
      client.off('exists', onExists);
      client.off('expunge', onExpunge);
      client.off('flags', onFlags);
    },
  };
}
