import type { Logger as ImapflowLogger } from 'imapflow';
import type { Logger } from '../../domain/logger';

/**
 * imapflow's logger, adapted: warnings and errors go to our Logger as short summaries (never the
 * raw entry, which can hold message data), and the last tagged NO/BAD that imapflow only logs is
 * kept, because several of its calls report a refusal as `false` and the server's words would be
 * lost otherwise (see ImapSession.refused()).
 */

interface LogEntry {
  msg?: unknown;
  err?: unknown;
}

interface LoggedError {
  message?: unknown;
  code?: unknown;
  responseStatus?: unknown;
  responseText?: unknown;
  response?: unknown;
}

const asRecord = <T extends object>(value: unknown): T | null =>
  typeof value === 'object' && value !== null ? (value as T) : null;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export class ServerLog {
  readonly imapflowLogger: ImapflowLogger;
  #refusal: LoggedError | null = null;

  constructor(logger: Logger | undefined) {
    const ignore = (): void => undefined;
    const summarize = (entry: unknown): string => {
      const record = asRecord<LogEntry>(entry);
      const err = asRecord<LoggedError>(record?.err);
      const parts = [text(record?.msg), text(err?.code), text(err?.responseStatus), text(err?.responseText)];
      return `imap: ${parts.filter((part) => part !== undefined).join(' ') || text(err?.message) || 'event'}`;
    };
    const imapflowLogger: ImapflowLogger & { isLevelEnabled(level: string): boolean } = {
      // Without this imapflow serializes every response for trace logging that goes nowhere,
      // which costs as much CPU as parsing it (imap-flow.js isLogLevelEnabled).
      isLevelEnabled: (level) => level === 'warn' || level === 'error' || level === 'fatal',
      trace: ignore,
      debug: ignore,
      info: ignore,
      warn: (entry: unknown) => {
        this.#record(entry);
        logger?.warn(summarize(entry));
      },
      error: (entry: unknown) => {
        this.#record(entry);
        logger?.error(summarize(entry));
      },
    };
    this.imapflowLogger = imapflowLogger;
  }

  /** The last NO/BAD imapflow logged since the previous call, then forgets it. */
  takeRefusal(): LoggedError | null {
    const refusal = this.#refusal;
    this.#refusal = null;
    return refusal;
  }

  #record(entry: unknown): void {
    const err = asRecord<LoggedError>(asRecord<LogEntry>(entry)?.err);
    if (err && (err.responseStatus === 'NO' || err.responseStatus === 'BAD')) this.#refusal = err;
  }
}
