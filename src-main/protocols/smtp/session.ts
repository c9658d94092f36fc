/**
 * One authenticated SMTP session over nodemailer's SMTPConnection: connect, EHLO, STARTTLS when
 * asked for, the certificate decision, AUTH. Nothing here sends a message (see transaction.ts).
 *
 * - 'tls': implicit TLS from the first byte, the submissions port 465 (RFC 8314 §3.3).
 * - 'starttls': plain connect, then STARTTLS is REQUIRED (RFC 3207; the submission port 587, RFC
 *   6409): nodemailer's `requireTLS` fails the connection when the server does not upgrade, and
 *   the session is checked to be encrypted before anything else, so it never continues in clear.
 * - 'none': plain text only; STARTTLS is ignored even when offered, so the behaviour is the one the
 *   account says and a certificate problem cannot appear on an account that asked for no TLS.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { NodemailerError } from 'nodemailer/lib/errors';
import { TLSSocket } from 'node:tls';
import { MailError, assertNever } from '../../domain/errors';
import type { ConnectionSecurity, TlsTrust } from '../../domain/security';
import { parseEhloReply, type SmtpCapabilities } from './ehlo';
import { toMailError } from './errors';
import { assertTrustedPeer, tlsConnectOptions } from './tls-trust';

/** Password (AUTH PLAIN/LOGIN/CRAM-MD5) or OAuth 2.0 access token (XOAUTH2); null: no AUTH. */
export type SmtpAuth = { password: string } | { accessToken: string } | null;

export interface SmtpTimeouts {
  /** DNS lookup and TCP connect (nodemailer's connectionTimeout, which also bounds DNS). */
  connectMs: number;
  /** The 220 greeting and the STARTTLS handshake. */
  greetingMs: number;
  /** Longest silence while waiting for a reply to a command. */
  replyMs: number;
  /** Longest silence after the end of the message, while the server decides (RFC 5321 §4.5.3.2.6). */
  dataEndMs: number;
}

export const CONNECT_TIMEOUT_MS = 30_000;
/** RFC 5321 §4.5.3.2.1 lets a server take 5 minutes to greet; an interactive client gives up sooner. */
export const GREETING_TIMEOUT_MS = 30_000;
/** RFC 5321 §4.5.3.2.2–.5 allow minutes per command; one minute of silence is ample for submission. */
export const REPLY_TIMEOUT_MS = 60_000;
/**
 * RFC 5321 §4.5.3.2.6: wait 10 minutes for the reply to the final ".". Giving up earlier turns a
 * slow server's "accepted" into "outcome unknown", which is worse than waiting.
 */
export const DATA_END_TIMEOUT_MS = 600_000;
/** How long QUIT may take before the socket is simply closed (the work is done by then). */
export const QUIT_TIMEOUT_MS = 5_000;

export const DEFAULT_SMTP_TIMEOUTS: Readonly<SmtpTimeouts> = {
  connectMs: CONNECT_TIMEOUT_MS,
  greetingMs: GREETING_TIMEOUT_MS,
  replyMs: REPLY_TIMEOUT_MS,
  dataEndMs: DATA_END_TIMEOUT_MS,
};

export interface SmtpSubmitterOptions {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  auth: SmtpAuth;
  trust?: TlsTrust;
  /** The EHLO name (RFC 5321 §4.1.1.1); nodemailer's default is the FQDN hostname or "[127.0.0.1]". */
  name?: string;
  timeouts?: Partial<SmtpTimeouts>;
}

/** The SASL mechanisms nodemailer can run with a password, in its order of preference. */
const PASSWORD_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'];
const XOAUTH2 = 'XOAUTH2';

/**
 * Runs one callback-style nodemailer step. A broken connection is reported by the 'error' event
 * (and 'end') rather than by the callback, so the step settles on whichever comes first.
 */
export function nodemailerStep<T>(
  connection: SMTPConnection,
  start: (done: (error: NodemailerError | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, value?: T): void => {
      if (settled) return;
      settled = true;
      connection.off('error', onError);
      connection.off('end', onEnd);
      if (error) reject(error);
      else resolve(value as T);
    };
    const onError = (error: unknown): void => finish(error);
    const onEnd = (): void => finish(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }));
    connection.on('error', onError);
    connection.on('end', onEnd);
    start((error, value) => finish(error, value));
  });
}

function connectionOptions(options: SmtpSubmitterOptions, timeouts: SmtpTimeouts): SMTPConnection.Options {
  const common: SMTPConnection.Options = {
    host: options.host,
    port: options.port,
    name: options.name,
    tls: tlsConnectOptions(options.trust),
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.replyMs,
    // Nothing is logged by nodemailer: our logger redacts secrets, nodemailer's would not know ours.
    logger: false,
    debug: false,
  };
  switch (options.security) {
    case 'tls':
      return { ...common, secure: true };
    case 'starttls':
      return { ...common, secure: false, requireTLS: true };
    case 'none':
      return { ...common, secure: false, ignoreTLS: true };
    default:
      return assertNever(options.security);
  }
}

/** RFC 4954 §4: only a mechanism the server offers is tried, and credentials are never sent blind. */
function authData(
  username: string,
  auth: NonNullable<SmtpAuth>,
  offered: readonly string[],
): SMTPConnection.AuthenticationType {
  if ('accessToken' in auth) {
    if (!offered.includes(XOAUTH2)) {
      throw new MailError(
        'AUTH_FAILED',
        'The outgoing mail server does not offer sign-in with OAuth (XOAUTH2).',
        {
          retryable: false,
          detail: `AUTH ${offered.join(' ')}`.trim(),
        },
      );
    }
    const oauth2 = new XOAuth2({ user: username, accessToken: auth.accessToken }, false);
    return { method: XOAUTH2, user: username, oauth2 };
  }
  if (!PASSWORD_MECHANISMS.some((method) => offered.includes(method))) {
    throw new MailError(
      'AUTH_FAILED',
      'The outgoing mail server does not offer a way to sign in with a password on this connection.',
      {
        retryable: false,
        detail: offered.length ? `AUTH ${offered.join(' ')}` : 'no AUTH in the EHLO reply',
      },
    );
  }
  return { user: username, pass: auth.password };
}

export class SmtpSession {
  readonly connection: SMTPConnection;
  readonly capabilities: SmtpCapabilities;
  readonly timeouts: SmtpTimeouts;

  private constructor(connection: SMTPConnection, capabilities: SmtpCapabilities, timeouts: SmtpTimeouts) {
    this.connection = connection;
    this.capabilities = capabilities;
    this.timeouts = timeouts;
  }

  /** Connects, secures, checks the certificate and signs in; every failure is a MailError. */
  static async open(options: SmtpSubmitterOptions): Promise<SmtpSession> {
    const timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...options.timeouts };
    const connection = new SMTPConnection(connectionOptions(options, timeouts));
    // nodemailer emits 'error' on a broken connection; without a listener that would throw.
    connection.on('error', () => undefined);
    try {
      await nodemailerStep<void>(connection, (done) => connection.connect((error) => done(error)));
      const socket = connection._socket;
      if (options.security !== 'none') {
        if (!connection.secure || !(socket instanceof TLSSocket)) {
          throw new MailError('TLS_FAILED', 'The connection to the outgoing mail server is not encrypted.', {
            retryable: false,
            detail: `security ${options.security}, but the session is in plain text`,
          });
        }
        assertTrustedPeer(socket, options.trust);
      }
      // Right after 'connect' the last reply is the (post-STARTTLS, RFC 3207 §4.2) EHLO reply.
      const reply = connection.lastServerResponse;
      const capabilities = parseEhloReply(typeof reply === 'string' ? reply : '');
      if (options.auth !== null) {
        const auth = authData(options.username, options.auth, capabilities.authMethods);
        await nodemailerStep<boolean | undefined>(connection, (done) => connection.login(auth, done));
      }
      return new SmtpSession(connection, capabilities, timeouts);
    } catch (error) {
      connection.close();
      throw toMailError(error);
    }
  }

  /** Gives the server longer to answer from now on (nodemailer counts silence on the socket). */
  extendReplyTimeout(ms: number): void {
    const socket = this.connection._socket;
    if (socket) socket.setTimeout(ms);
  }

  /** Sends QUIT (RFC 5321 §4.1.1.10) and waits briefly for the server to close; never fails. */
  quit(): Promise<void> {
    const connection = this.connection;
    if (connection.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        connection.close();
        resolve();
      }, QUIT_TIMEOUT_MS);
      timer.unref(); // a server slow to say goodbye must not keep the process alive
      connection.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      connection.quit();
    });
  }

  /** Drops the connection without QUIT: an open transaction is abandoned (RFC 5321 §4.1.1.4). */
  close(): void {
    this.connection.close();
  }
}
