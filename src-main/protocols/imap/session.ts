import { ImapFlow, type IdInfoObject, type MailboxObject } from 'imapflow';
import { MailError } from '../../domain/errors';
import type { Logger } from '../../domain/logger';
import type { ConnectionSecurity, TlsTrust } from '../../domain/security';
import { toMailError } from './errors';
import { ServerLog } from './server-log';
import { createVerifyingTransport } from './tls-transport';

/**
 * One authenticated IMAP connection (RFC 3501 / RFC 9051) over imapflow. The sync engine owns the
 * lifecycle: it connects, runs commands through the other files of this folder, listens to
 * onClose/onError to reconnect, and logs out. Every failure leaves here as a MailError.
 */

/** DNS + TCP + TLS handshake, imapflow's `connectionTimeout`. */
export const CONNECT_TIMEOUT_MS = 20_000;
/** From TCP up to the server greeting (RFC 3501 §7.1.1 "* OK"). */
export const GREETING_TIMEOUT_MS = 15_000;
/** The whole connect(): the above plus STARTTLS, LOGIN/AUTHENTICATE, CAPABILITY, ENABLE, COMPRESS. */
export const CONNECT_DEADLINE_MS = 45_000;
/** No byte from the server for this long while a command waits: the connection is dead. */
export const SOCKET_TIMEOUT_MS = 120_000;
/**
 * IDLE is ended and re-issued this often: RFC 2177 §3 asks for less than 29 minutes; shorter keeps
 * NAT mappings alive and stays under SOCKET_TIMEOUT_MS so the watchdog never fires on a quiet IDLE.
 */
export const IDLE_RESTART_MS = 100_000;
/** Largest single literal accepted from the server (a message source): a hostile-server bound. */
export const MAX_LITERAL_BYTES = 256 * 1024 * 1024;

export type ImapAuth = { password: string } | { accessToken: string };

export interface ImapConnectOptions {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  /** A password (LOGIN / AUTHENTICATE PLAIN) or an OAuth 2 access token (XOAUTH2 / OAUTHBEARER). */
  auth: ImapAuth;
  trust?: TlsTrust;
  /** Sent with ID (RFC 2971) when the server supports it. */
  clientInfo?: { name: string; version: string };
  logger?: Logger;
}

/** What the server offers that the sync engine chooses strategies by. */
export interface ImapCapabilities {
  /** CONDSTORE enabled for this session (RFC 7162 §3.1). */
  condstore: boolean;
  /** QRESYNC enabled for this session (RFC 7162 §3.2): VANISHED instead of EXPUNGE. */
  qresync: boolean;
  idle: boolean; // RFC 2177
  move: boolean; // RFC 6851
  uidplus: boolean; // RFC 4315
  specialUse: boolean; // RFC 6154
  notify: boolean; // RFC 5465
  esearch: boolean; // RFC 4731
  /** Every capability the server listed, uppercase. */
  all: readonly string[];
}

export interface SessionClosed {
  /** True after close()/logout(); false when the server or the network ended the connection. */
  byClient: boolean;
  /** The error that ended it, if one did. */
  error: MailError | null;
}

/** RFC 9051 Appendix E: extensions that are part of IMAP4rev2 itself. */
const REV2_BUILT_IN = new Set(['IDLE', 'MOVE', 'UIDPLUS', 'SPECIAL-USE', 'ESEARCH', 'ENABLE', 'NAMESPACE']);

function readCapabilities(client: ImapFlow): ImapCapabilities {
  const all = [...client.capabilities.keys()].map((name) => name.toUpperCase());
  const offered = new Set(all);
  const rev2 = client.enabled.has('IMAP4REV2') || (offered.has('IMAP4REV2') && !offered.has('IMAP4REV1'));
  const has = (name: string): boolean => offered.has(name) || (rev2 && REV2_BUILT_IN.has(name));
  return {
    condstore: client.enabled.has('CONDSTORE'),
    qresync: client.enabled.has('QRESYNC'),
    idle: has('IDLE'),
    move: has('MOVE'),
    uidplus: has('UIDPLUS'),
    specialUse: has('SPECIAL-USE'),
    notify: has('NOTIFY'),
    esearch: has('ESEARCH'),
    all,
  };
}

function securityOptions(security: ConnectionSecurity): { secure: boolean; doSTARTTLS: boolean | undefined } {
  switch (security) {
    case 'tls':
      return { secure: true, doSTARTTLS: undefined };
    case 'starttls':
      // Required, never opportunistic: a server (or attacker) not offering STARTTLS fails the connect.
      return { secure: false, doSTARTTLS: true };
    case 'none':
      return { secure: false, doSTARTTLS: false };
  }
}

const REDACTED = '[redacted]';
/** Secrets shorter than this are not searched for in error text (too many false hits, no risk). */
const MIN_REDACTABLE_SECRET_LENGTH = 4;

export class ImapSession {
  /**
   * @internal The imapflow client, for the command files of protocols/imap only. Callers outside
   * this folder use the exported functions, which hold the mailbox lock and convert errors.
   */
  readonly client: ImapFlow;
  readonly capabilities: ImapCapabilities;
  readonly #serverLog: ServerLog;
  readonly #secret: string;
  readonly #closeListeners = new Set<(info: SessionClosed) => void>();
  readonly #errorListeners = new Set<(error: MailError) => void>();
  #lastError: MailError | null = null;

  private constructor(client: ImapFlow, serverLog: ServerLog, secret: string) {
    this.client = client;
    this.#serverLog = serverLog;
    this.#secret = secret;
    this.capabilities = readCapabilities(client);
    client.on('error', (error) => {
      const mailError = this.fail(error);
      this.#lastError = mailError;
      for (const listener of this.#errorListeners) listener(mailError);
    });
    client.on('close', () => {
      const info: SessionClosed = { byClient: client.closedByClient, error: this.#lastError };
      for (const listener of this.#closeListeners) listener(info);
    });
  }

  static async connect(options: ImapConnectOptions): Promise<ImapSession> {
    const serverLog = new ServerLog(options.logger);
    const secret = 'password' in options.auth ? options.auth.password : options.auth.accessToken;
    const clientInfo: IdInfoObject | undefined = options.clientInfo && { ...options.clientInfo };
    const client = new ImapFlow({
      host: options.host,
      port: options.port,
      ...securityOptions(options.security),
      auth:
        'password' in options.auth
          ? { user: options.username, pass: options.auth.password }
          : { user: options.username, accessToken: options.auth.accessToken },
      clientInfo,
      transport: createVerifyingTransport(options.trust),
      logger: serverLog.imapflowLogger,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      // IDLE is started on purpose by idle.ts, never between the sync engine's commands.
      disableAutoIdle: true,
      maxIdleTime: IDLE_RESTART_MS,
      // ENABLE QRESYNC when offered (RFC 7162 §3.2.3); imapflow then reports VANISHED UIDs.
      qresync: true,
      maxLiteralSize: MAX_LITERAL_BYTES,
    });
    // Until the session exists, errors reject connect(); an 'error' without a listener would throw.
    const swallowEarly = (): void => undefined;
    client.on('error', swallowEarly);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new MailError('TIMEOUT', 'The mail server did not answer in time.', { detail: 'connect' })),
        CONNECT_DEADLINE_MS,
      );
    });
    try {
      await Promise.race([client.connect(), deadline]);
    } catch (error) {
      client.close();
      throw redact(toMailError(error), secret);
    } finally {
      clearTimeout(timer);
    }
    const session = new ImapSession(client, serverLog, secret);
    client.off('error', swallowEarly);
    return session;
  }

  /** False once the connection is closed or broken; then only a new connect() helps. */
  get isUsable(): boolean {
    return this.client.usable && !this.client.isClosed;
  }

  /** Called once when the connection ends, by us or not. Returns an unsubscribe function. */
  onClose(listener: (info: SessionClosed) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Called when the connection fails outside a command (socket error, timeout, BYE). */
  onError(listener: (error: MailError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** LOGOUT (RFC 3501 §6.1.3), then the socket closes. Never throws: the session is over either way. */
  async logout(): Promise<void> {
    if (this.client.isClosed) return;
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }

  /** Drops the connection without LOGOUT. */
  close(): void {
    this.client.close();
  }

  /** Converts anything thrown below into a MailError with no secret in its text. */
  fail(error: unknown): MailError {
    return redact(toMailError(error), this.#secret);
  }

  /** Runs imapflow calls and converts what they throw. */
  async command<T>(run: (client: ImapFlow) => Promise<T>): Promise<T> {
    this.#serverLog.takeRefusal(); // an older refusal must not be blamed on this command
    try {
      return await run(this.client);
    } catch (error) {
      throw this.fail(error);
    }
  }

  /**
   * The error for an imapflow call that resolved `false` (imapflow logs a NO/BAD instead of
   * throwing it for STORE, COPY, MOVE, STATUS, SEARCH and NOOP): the server's refusal it logged,
   * or a lost connection, or a plain refusal naming what was asked.
   */
  refused(what: string): MailError {
    const refusal = this.#serverLog.takeRefusal();
    if (refusal !== null) return this.fail(refusal);
    if (!this.isUsable)
      return new MailError('CONNECTION_LOST', 'The connection to the mail server was lost.');
    return new MailError('SERVER_REJECTED', 'The mail server refused the request.', { detail: what });
  }

  /**
   * Selects `path` under imapflow's mailbox lock (one mailbox per connection at a time, RFC 3501
   * §6.3.1) and runs `run` with it. With `expectedUidValidity`, a changed UIDVALIDITY (RFC 3501
   * §2.3.1.1: every cached UID is void) fails with UIDVALIDITY_CHANGED before anything runs.
   */
  async withMailbox<T>(
    path: string,
    run: (mailbox: MailboxObject) => Promise<T>,
    options: { expectedUidValidity?: bigint } = {},
  ): Promise<T> {
    this.#serverLog.takeRefusal();
    let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
    try {
      lock = await this.client.getMailboxLock(path);
    } catch (error) {
      throw this.fail(error);
    }
    try {
      const mailbox = this.client.mailbox;
      if (mailbox === false)
        throw new MailError('CONNECTION_LOST', 'The connection to the mail server was lost.');
      const expected = options.expectedUidValidity;
      if (expected !== undefined && mailbox.uidValidity !== expected) {
        throw new MailError(
          'UIDVALIDITY_CHANGED',
          'The folder was replaced on the server and must be synchronized again.',
          {
            retryable: false,
            detail: `${path}: UIDVALIDITY ${expected} -> ${mailbox.uidValidity}`,
          },
        );
      }
      return await run(mailbox);
    } catch (error) {
      throw this.fail(error);
    } finally {
      lock.release();
    }
  }
}

function redact(error: MailError, secret: string): MailError {
  if (secret.length < MIN_REDACTABLE_SECRET_LENGTH) return error;
  const leaks = (text: string | undefined): boolean => text !== undefined && text.includes(secret);
  if (!leaks(error.message) && !leaks(error.detail)) return error;
  const clean = (text: string): string => text.split(secret).join(REDACTED);
  return new MailError(error.code, clean(error.message), {
    retryable: error.retryable,
    detail: error.detail === undefined ? undefined : clean(error.detail),
  });
}
