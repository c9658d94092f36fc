/**
 * A POP3 client (RFC 1939) with CAPA and PIPELINING (RFC 2449), STLS (RFC 2595) and SASL PLAIN,
 * XOAUTH2 and OAUTHBEARER (RFC 5034, RFC 7628). Messages come back as Buffers, dot-unstuffed and otherwise byte for byte.
 *
 * Commands run one at a time in call order. A server -ERR fails only that call; a timeout, a cut
 * connection or a protocol violation makes the client unusable (later calls fail at once).
 */
import { MailError, assertNever } from '../../domain/errors';
import type { ConnectionSecurity, TlsTrust } from '../../domain/security';
import {
  authenticate,
  extractApopTimestamp,
  type Credentials,
  type Pop3AuthMethod,
  type Pop3AuthUsed,
} from './auth';
import { parseCapabilities, type Pop3Capabilities } from './capabilities';
import { Pop3Connection, type Pop3Endpoint } from './connection';
import { malformedReply, responseCode, serverReplyError, toMailError, type Pop3Command } from './errors';
import { isMessageNumber, parseScanListing, parseStat, parseUidListing, type Pop3Stat } from './listings';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_MULTI_LINE_BYTES, type StatusReply } from './reply-reader';

/** TCP connect, plus the TLS handshake when security is 'tls'. */
export const CONNECT_TIMEOUT_MS = 20_000;
/** RFC 1939 §4: the server greets first; a silent server is not a POP3 server. */
export const GREETING_TIMEOUT_MS = 15_000;
/** The TLS handshake after STLS. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 15_000;
/** Any single-line reply (including the status line of a multi-line one). */
export const COMMAND_TIMEOUT_MS = 30_000;
/** Longest silence while a multi-line reply (RETR, TOP, LIST, UIDL, CAPA) is arriving; resets on every chunk. */
export const IDLE_TIMEOUT_MS = 60_000;
/**
 * RFC 2449 §6.6 leaves the window to the client. Enough RETRs that the server keeps sending while
 * this side commits a batch (memory stays bounded: the connection stops reading past
 * BACKPRESSURE_BYTES, so unread replies wait in the socket, not here).
 */
export const MAX_PIPELINED_COMMANDS = 32;
/** The window is refilled once this many replies have come back: one write per group, not per reply. */
const REFILL_AFTER_REPLIES = MAX_PIPELINED_COMMANDS / 2;
/** DELE replies are one short line each, so more of them may be in flight than RETRs. */
export const MAX_PIPELINED_DELES = 64;

export interface Pop3Timeouts {
  connectMs?: number;
  greetingMs?: number;
  tlsHandshakeMs?: number;
  commandMs?: number;
  idleMs?: number;
}

export interface Pop3ConnectOptions {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  /** Exactly one of password and accessToken. */
  password?: string;
  /** An OAuth2 access token: signs in with SASL XOAUTH2 or OAUTHBEARER instead of a password. */
  accessToken?: string;
  trust?: TlsTrust;
  timeouts?: Pop3Timeouts;
  /** The name the certificate must carry (and SNI), when it differs from `host`. */
  servername?: string;
  authMethod?: Pop3AuthMethod;
  /** Largest message (or other multi-line reply) accepted, in bytes; larger fails with MALFORMED_MESSAGE. */
  maxMessageBytes?: number;
}

/** Called once per retrieved message, in the order asked; awaited before the next is delivered. */
export type Pop3MessageHandler = (messageNumber: number, message: Buffer) => void | Promise<void>;

type ResolvedTimeouts = Required<Pop3Timeouts>;

export class Pop3Client {
  private readonly connection: Pop3Connection;
  private readonly timeouts: ResolvedTimeouts;
  private caps: Pop3Capabilities;
  private readonly method: Pop3AuthUsed;
  /** Commands queue behind each other: POP3 is strictly request/response. */
  private tail: Promise<unknown> = Promise.resolve();
  private isClosed = false;

  private constructor(
    connection: Pop3Connection,
    capabilities: Pop3Capabilities,
    method: Pop3AuthUsed,
    timeouts: ResolvedTimeouts,
  ) {
    this.connection = connection;
    this.caps = capabilities;
    this.method = method;
    this.timeouts = timeouts;
  }

  /**
   * Connects, secures, reads capabilities and logs in; resolves in the TRANSACTION state
   * (RFC 1939 §5). Every failure is a MailError and leaves no socket open.
   */
  static async connect(options: Pop3ConnectOptions): Promise<Pop3Client> {
    if (
      options.host.length === 0 ||
      !Number.isInteger(options.port) ||
      options.port < 1 ||
      options.port > 65_535
    ) {
      throw badRequest(`server address ${options.host}:${options.port}`);
    }
    const credentials = credentialsOf(options);
    const timeouts: ResolvedTimeouts = {
      connectMs: options.timeouts?.connectMs ?? CONNECT_TIMEOUT_MS,
      greetingMs: options.timeouts?.greetingMs ?? GREETING_TIMEOUT_MS,
      tlsHandshakeMs: options.timeouts?.tlsHandshakeMs ?? TLS_HANDSHAKE_TIMEOUT_MS,
      commandMs: options.timeouts?.commandMs ?? COMMAND_TIMEOUT_MS,
      idleMs: options.timeouts?.idleMs ?? IDLE_TIMEOUT_MS,
    };
    const endpoint: Pop3Endpoint = {
      host: options.host,
      port: options.port,
      ...(options.servername !== undefined ? { servername: options.servername } : {}),
      ...(options.trust !== undefined ? { trust: options.trust } : {}),
    };
    const connection = await Pop3Connection.open(endpoint, options.security === 'tls', timeouts.connectMs, {
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      maxMultiLineBytes: options.maxMessageBytes ?? DEFAULT_MAX_MULTI_LINE_BYTES,
    }).catch((error: unknown) => {
      throw toMailError(error);
    });
    try {
      const greeting = await connection.readStatus(timeouts.greetingMs, 'greeting');
      if (greeting.kind === 'continuation') throw malformedReply(`greeting: + ${greeting.text}`);
      if (greeting.kind === 'err') throw serverReplyError('GREETING', greeting.text);
      const apopTimestamp = extractApopTimestamp(greeting.text);
      let capabilities = await fetchCapabilities(connection, timeouts);
      if (options.security === 'starttls') {
        // Never fall back to plain text: without STLS the password would cross the network readable.
        if (!capabilities.hasStls) {
          throw new MailError('TLS_FAILED', 'The mail server does not offer a secure connection (STLS).', {
            detail: capabilities.isAdvertised
              ? 'STLS is not listed in CAPA'
              : 'the server does not support CAPA',
            retryable: false,
          });
        }
        connection.writeLine('STLS');
        expectOk(await connection.readStatus(timeouts.commandMs, 'STLS'), 'STLS');
        await connection.upgradeToTls(endpoint, timeouts.tlsHandshakeMs);
        // RFC 2595 §4: capabilities learned before TLS must be discarded and asked again.
        capabilities = await fetchCapabilities(connection, timeouts);
      }
      const method = await authenticate(
        { connection, capabilities, apopTimestamp, commandTimeoutMs: timeouts.commandMs },
        credentials,
        options.authMethod ?? 'auto',
      );
      // RFC 2449 §5: capabilities may differ after login (PIPELINING, UIDL, EXPIRE often do). A
      // server refusing CAPA now keeps the list it gave before.
      if (capabilities.isAdvertised) {
        const afterLogin = await fetchCapabilities(connection, timeouts);
        if (afterLogin.isAdvertised) capabilities = afterLogin;
      }
      return new Pop3Client(connection, capabilities, method, timeouts);
    } catch (error) {
      connection.destroy();
      throw toMailError(error);
    }
  }

  /** What the server advertised after login (RFC 2449). */
  get capabilities(): Pop3Capabilities {
    return this.caps;
  }

  /** The sign-in method that succeeded. */
  get authMethod(): Pop3AuthUsed {
    return this.method;
  }

  /** Whether the session runs over TLS (implicit or after STLS). */
  get isSecure(): boolean {
    return this.connection.isSecure;
  }

  /** RFC 1939 §5 STAT: message count and total size, excluding messages marked deleted. */
  stat(): Promise<Pop3Stat> {
    return this.exclusive(async () => parseStat(await this.simple('STAT', 'STAT')));
  }

  /** RFC 1939 §5 LIST: message number -> size in octets. */
  list(): Promise<Map<number, number>> {
    return this.exclusive(async () => parseScanListing(await this.multiLine('LIST', 'LIST')));
  }

  /**
   * RFC 1939 §7 UIDL: message number -> unique id, or null when the server does not implement UIDL
   * (it answers -ERR). A -ERR carrying a temporary RFC 2449 response code is thrown instead, so a
   * busy server is not mistaken for one without UIDL.
   */
  uidl(): Promise<Map<number, string> | null> {
    return this.exclusive(async () => {
      const reply = await this.command('UIDL', 'UIDL');
      if (reply.kind === 'err' && responseCode(reply.text) === null) return null;
      expectOk(reply, 'UIDL');
      return parseUidListing(await this.connection.readMultiLine(this.timeouts.idleMs, 'UIDL'));
    });
  }

  /** RFC 1939 §7 TOP: the header and the first `lines` lines of the body. */
  top(messageNumber: number, lines: number): Promise<Buffer> {
    return this.exclusive(async () => {
      assertMessageNumber(messageNumber);
      if (!Number.isSafeInteger(lines) || lines < 0) throw badRequest(`TOP line count ${lines}`);
      // RFC 2449 §6.1: a server with CAPA lists TOP if it has it; asking anyway would read as "no such message".
      if (this.caps.isAdvertised && !this.caps.hasTop) {
        throw new MailError(
          'SERVER_REJECTED',
          'The mail server does not support reading message headers only (TOP).',
          {
            retryable: false,
          },
        );
      }
      return this.multiLine(`TOP ${messageNumber} ${lines}`, 'TOP');
    });
  }

  /** RFC 1939 §5 RETR: the whole message, dot-unstuffed. Nothing is returned if the reply is cut short. */
  retr(messageNumber: number): Promise<Buffer> {
    return this.exclusive(async () => {
      assertMessageNumber(messageNumber);
      return this.multiLine(`RETR ${messageNumber}`, 'RETR');
    });
  }

  /**
   * Retrieves several messages, handing each to `onMessage` in order (awaited, so it can store the
   * message durably before the next one). With PIPELINING (RFC 2449 §6.6) up to
   * MAX_PIPELINED_COMMANDS RETRs are in flight, topped up in groups; without it, one at a time.
   *
   * On the first failure (a -ERR, or `onMessage` throwing) no further message is delivered or
   * requested; replies to RETRs already sent are read and dropped so the session stays usable,
   * and that first error is thrown: a MailError, or exactly what `onMessage` threw.
   */
  retrMany(messageNumbers: readonly number[], onMessage: Pop3MessageHandler): Promise<void> {
    return this.exclusive(async () => {
      for (const number of messageNumbers) assertMessageNumber(number);
      const window = this.caps.hasPipelining ? MAX_PIPELINED_COMMANDS : 1;
      let sent = 0;
      let received = 0;
      let failure: { error: unknown } | null = null;
      const sendMore = (): void => {
        // Refill in groups rather than one command per reply: each write is a system call.
        if (sent - received > Math.max(0, window - REFILL_AFTER_REPLIES)) return;
        const batch: string[] = [];
        while (failure === null && sent < messageNumbers.length && sent - received < window) {
          batch.push(`RETR ${messageNumbers[sent] ?? 0}`);
          sent += 1;
        }
        if (batch.length > 0) this.connection.writeLines(batch);
      };
      sendMore();
      while (received < sent) {
        const number = messageNumbers[received] ?? 0;
        let message: Buffer | null = null;
        try {
          const reply = await this.connection.readStatus(this.timeouts.commandMs, `RETR ${number}`);
          if (reply.kind === 'ok') {
            message = await this.connection.readMultiLine(this.timeouts.idleMs, `RETR ${number}`);
          } else if (reply.kind === 'err') {
            failure ??= { error: serverReplyError('RETR', reply.text) };
          } else {
            throw malformedReply(`RETR: + ${reply.text}`); // nothing to drain: we no longer know where replies start
          }
        } catch (error) {
          // The stream is broken; nothing more can be drained. Report what went wrong first.
          throw failure === null ? error : failure.error;
        }
        received += 1;
        if (failure !== null || message === null) continue;
        sendMore(); // keep the server busy while this message is handled
        try {
          await onMessage(number, message);
        } catch (error) {
          failure = { error: new HandlerError(error) };
        }
      }
      if (failure !== null) throw failure.error;
    });
  }

  /** RFC 1939 §6: DELE only marks the message; QUIT applies it, and a dropped session forgets it. */
  dele(messageNumber: number): Promise<void> {
    return this.exclusive(async () => {
      assertMessageNumber(messageNumber);
      await this.simple(`DELE ${messageNumber}`, 'DELE');
    });
  }

  /**
   * DELE for several messages, pipelined when the server offers PIPELINING (RFC 2449 §6.6: up to
   * MAX_PIPELINED_DELES in flight, replies in order), else one at a time. A -ERR concerns only its
   * message and the session goes on: the result holds, per message number in order, null for
   * "marked deleted" or the MailError of the refusal. A broken connection throws.
   */
  deleMany(messageNumbers: readonly number[]): Promise<Array<MailError | null>> {
    return this.exclusive(async () => {
      for (const number of messageNumbers) assertMessageNumber(number);
      const window = this.caps.hasPipelining ? MAX_PIPELINED_DELES : 1;
      const results: Array<MailError | null> = [];
      let sent = 0;
      // Topped up in groups, as RETRs are: one write per reply would be a system call per message.
      const refillAt = Math.max(0, window - MAX_PIPELINED_DELES / 2);
      while (results.length < messageNumbers.length) {
        const batch: string[] = [];
        while (sent < messageNumbers.length && sent - results.length < window) {
          if (batch.length === 0 && sent - results.length > refillAt) break;
          batch.push(`DELE ${messageNumbers[sent] ?? 0}`);
          sent += 1;
        }
        if (batch.length > 0) this.connection.writeLines(batch);
        const number = messageNumbers[results.length] ?? 0;
        const reply = await this.connection.readStatus(this.timeouts.commandMs, `DELE ${number}`);
        if (reply.kind === 'continuation') throw malformedReply(`DELE: + ${reply.text}`);
        results.push(reply.kind === 'ok' ? null : serverReplyError('DELE', reply.text));
      }
      return results;
    });
  }

  /** RFC 1939 §5 RSET: unmarks every message marked deleted in this session. */
  rset(): Promise<void> {
    return this.exclusive(async () => {
      await this.simple('RSET', 'RSET');
    });
  }

  /** RFC 1939 §5 NOOP: proves the session is alive. */
  noop(): Promise<void> {
    return this.exclusive(async () => {
      await this.simple('NOOP', 'NOOP');
    });
  }

  /**
   * RFC 1939 §6: QUIT enters the UPDATE state, where the server removes messages marked deleted,
   * then closes. A -ERR means some deletions failed (MailError SERVER_REJECTED, retryable).
   */
  quit(): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.simple('QUIT', 'QUIT');
      } finally {
        this.isClosed = true;
        this.connection.destroy();
      }
    });
  }

  /**
   * Drops the connection without QUIT, so the server stays out of the UPDATE state and applies no
   * DELE of this session (RFC 1939 §6). A command in progress fails with CANCELLED.
   */
  close(): void {
    this.isClosed = true;
    this.connection.destroy();
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.isClosed) {
        throw new MailError('CANCELLED', 'The connection to the mail server was closed.', {
          retryable: false,
        });
      }
      try {
        return await operation();
      } catch (error) {
        if (error instanceof HandlerError) throw error.error; // the caller's own error, untouched
        throw toMailError(error);
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async command(line: string, command: Pop3Command): Promise<StatusReply> {
    this.connection.writeLine(line);
    return this.connection.readStatus(this.timeouts.commandMs, command);
  }

  /** A command with a single-line reply; returns the +OK text. */
  private async simple(line: string, command: Pop3Command): Promise<string> {
    return expectOk(await this.command(line, command), command);
  }

  /** A command with a multi-line reply on +OK (RFC 1939 §3); returns the body. */
  private async multiLine(line: string, command: Pop3Command): Promise<Buffer> {
    await this.simple(line, command);
    return this.connection.readMultiLine(this.timeouts.idleMs, command);
  }
}

/** Carries an error thrown by a caller's callback past the conversion to MailError. */
class HandlerError {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** The +OK text, or the error a -ERR maps to. A SASL continuation outside AUTH breaks the protocol. */
function expectOk(reply: StatusReply, command: Pop3Command): string {
  switch (reply.kind) {
    case 'ok':
      return reply.text;
    case 'err':
      throw serverReplyError(command, reply.text);
    case 'continuation':
      throw malformedReply(`${command}: + ${reply.text}`);
    default:
      return assertNever(reply);
  }
}

/** RFC 2449 §5 CAPA; a -ERR means the server predates it. */
async function fetchCapabilities(
  connection: Pop3Connection,
  timeouts: ResolvedTimeouts,
): Promise<Pop3Capabilities> {
  connection.writeLine('CAPA');
  const reply = await connection.readStatus(timeouts.commandMs, 'CAPA');
  if (reply.kind === 'err') return parseCapabilities(null);
  expectOk(reply, 'CAPA');
  return parseCapabilities(await connection.readMultiLine(timeouts.idleMs, 'CAPA'));
}

function credentialsOf(options: Pop3ConnectOptions): Credentials {
  const { username, password, accessToken } = options;
  if (accessToken !== undefined && password === undefined) return { username, accessToken };
  if (password !== undefined && accessToken === undefined) return { username, password };
  throw badRequest('give either a password or an access token');
}

function assertMessageNumber(value: number): void {
  if (!isMessageNumber(value)) throw badRequest(`message number ${value}`);
}

function badRequest(detail: string): MailError {
  return new MailError('BAD_REQUEST', 'Invalid request to the mail server.', { detail, retryable: false });
}
