import { isUntrustedCertificateError, type CertificateInfo } from '../../domain/certificate';
import { MailError, assertNever, isMailError, type ErrorCode } from '../../domain/errors';
import type { ConnectionSecurity } from '../../domain/security';

/**
 * What "Connect" reports for one server, precise enough for the user to fix the right thing: the
 * kind of failure (the UI words it), the adapter's English message, the server's own words when
 * it said something, and the certificate when it is the certificate that was not trusted.
 */

export type ServerRole = 'incoming' | 'outgoing';
export type CheckedProtocol = 'imap' | 'pop3' | 'smtp';

export const FAILURE_KINDS = [
  'dns', // the server name does not exist
  'refused', // the host answered: nothing listens on that port
  'unreachable', // no route, host down
  'timeout',
  'tls', // the secure connection could not be set up (no STARTTLS, handshake failed)
  'certificate', // the certificate is not trusted; `certificate` says which one
  'auth', // wrong user name or password
  'server', // the server refused for another reason; `serverSays` quotes it
  'lost', // the connection dropped half way
  'other',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface CheckedServer {
  role: ServerRole;
  protocol: CheckedProtocol;
  host: string;
  port: number;
  security: ConnectionSecurity;
}

export type ServerCheckOutcome =
  | { server: CheckedServer; ok: true }
  | {
      server: CheckedServer;
      ok: false;
      kind: FailureKind;
      code: ErrorCode;
      /** The adapter's user-facing sentence (English; the UI prefers its own words for `kind`). */
      message: string;
      /** What the server itself answered (a NO, -ERR or 5xx text), when it answered. */
      serverSays?: string;
      /** A technical hint such as ECONNREFUSED or DEPTH_ZERO_SELF_SIGNED_CERT. */
      detail?: string;
      certificate?: CertificateInfo;
    };

export interface ConnectionCheckResult {
  /** True when both servers accepted the login. */
  ok: boolean;
  incoming: ServerCheckOutcome;
  outgoing: ServerCheckOutcome;
}

const REDACTED = '[redacted]';
/** Shorter strings are not searched for (they would cut ordinary words); real passwords are longer. */
const MIN_REDACTABLE_LENGTH = 4;
const REFUSED = /ECONNREFUSED|connection refused/i;

function kindOf(error: MailError): FailureKind {
  const code = error.code;
  switch (code) {
    case 'DNS_FAILED':
      return 'dns';
    case 'CONNECT_FAILED':
      return REFUSED.test(`${error.detail ?? ''} ${causeCode(error)}`) ? 'refused' : 'unreachable';
    case 'TIMEOUT':
      return 'timeout';
    case 'TLS_FAILED':
      return 'tls';
    case 'TLS_UNTRUSTED':
      return 'certificate';
    case 'AUTH_FAILED':
      return 'auth';
    case 'SERVER_BUSY':
    case 'SERVER_REJECTED':
    case 'QUOTA_EXCEEDED':
    case 'NOT_FOUND':
      return 'server';
    case 'CONNECTION_LOST':
      return 'lost';
    case 'UIDVALIDITY_CHANGED':
    case 'DISK_FULL':
    case 'STORE_CORRUPT':
    case 'MALFORMED_MESSAGE':
    case 'CANCELLED':
    case 'BAD_REQUEST':
    case 'UNKNOWN_METHOD':
    case 'INTERNAL':
      return 'other';
    default:
      return assertNever(code);
  }
}

function causeCode(error: MailError): string {
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null || !('code' in cause)) return '';
  return typeof cause.code === 'string' ? cause.code : '';
}

/** Removes the password from text that may quote what was sent (a broken server echoing it). */
export function withoutSecret(text: string, secret: string): string {
  if (secret.length < MIN_REDACTABLE_LENGTH) return text;
  return text.split(secret).join(REDACTED);
}

/** Whatever a login threw, as the outcome the user is shown. */
export function failureOutcome(server: CheckedServer, error: unknown, password: string): ServerCheckOutcome {
  const mailError = isMailError(error)
    ? error
    : new MailError('INTERNAL', 'Something unexpected went wrong while connecting.', { cause: error });
  const kind = kindOf(mailError);
  const detail = mailError.detail === undefined ? undefined : withoutSecret(mailError.detail, password);
  const quotesServer = kind === 'auth' || kind === 'server';
  return {
    server,
    ok: false,
    kind,
    code: mailError.code,
    message: withoutSecret(mailError.message, password),
    ...(quotesServer && detail !== undefined ? { serverSays: detail } : {}),
    ...(!quotesServer && detail !== undefined ? { detail } : {}),
    ...(isUntrustedCertificateError(error) ? { certificate: { ...error.certificate } } : {}),
  };
}
