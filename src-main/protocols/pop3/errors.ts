/**
 * Where POP3, socket, TLS and DNS errors become MailErrors (STYLE.md §3): one table from what went
 * wrong to a code, whether retrying can help, a user-facing sentence, and the server's own words
 * in `detail`. Nothing here ever receives the password except to remove it from server text.
 */
import { MailError, assertNever } from '../../domain/errors';
import {
  UntrustedCertificateError as DomainUntrustedCertificateError,
  type CertificateInfo,
} from '../../domain/certificate';
import { untrustedCertificateMessage } from '../../domain/certificate-trust';
import { Pop3ProtocolError } from './reply-reader';

/** The steps of a POP3 session a server reply can answer. */
export type Pop3Command =
  | 'GREETING'
  | 'CAPA'
  | 'STLS'
  | 'USER'
  | 'PASS'
  | 'APOP'
  | 'AUTH'
  | 'STAT'
  | 'LIST'
  | 'UIDL'
  | 'TOP'
  | 'RETR'
  | 'DELE'
  | 'RSET'
  | 'NOOP'
  | 'QUIT';

/** What the UI needs to show a certificate and offer "Trust this certificate" (shared in domain/). */
export type CertificateSummary = CertificateInfo;

/** The domain's TLS_UNTRUSTED error, plus the OpenSSL/Node reason POP3 verification reports. */
export class UntrustedCertificateError extends DomainUntrustedCertificateError {
  /** Why verification failed: an OpenSSL/Node code such as DEPTH_ZERO_SELF_SIGNED_CERT or ERR_TLS_CERT_ALTNAME_INVALID. */
  readonly reason: string;

  constructor(certificate: CertificateSummary, reason: string) {
    super(certificate, untrustedCertificateMessage(reason), {
      retryable: false,
      detail: `${reason}; subject ${certificate.subject}; issuer ${certificate.issuer}; valid ${certificate.validFrom} to ${certificate.validTo}; SHA-256 ${certificate.fingerprint256}`,
    });
    this.reason = reason;
  }
}

export function isUntrustedCertificateError(value: unknown): value is UntrustedCertificateError {
  return value instanceof UntrustedCertificateError;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);
const LOST_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SOCKET_CLOSED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
/** Certificate verification failures as Node reports them (OpenSSL X509_V_ERR names and Node's own). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Converts anything thrown while talking POP3 into a MailError (MailErrors pass through unchanged). */
export function toMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  if (error instanceof Pop3ProtocolError) return fromProtocolViolation(error);
  const detail = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  if (code !== undefined) {
    if (DNS_CODES.has(code)) {
      return new MailError(
        'DNS_FAILED',
        'The mail server name could not be found. Check the server name and your internet connection.',
        { detail, cause: error },
      );
    }
    if (CONNECT_CODES.has(code)) {
      return new MailError(
        'CONNECT_FAILED',
        'Could not connect to the mail server. Check the server name and port.',
        { detail, cause: error },
      );
    }
    if (LOST_CODES.has(code)) return connectionLost(detail, error);
    if (TIMEOUT_CODES.has(code)) {
      return new MailError('TIMEOUT', 'The mail server did not answer in time.', { detail, cause: error });
    }
    if (CERTIFICATE_CODES.has(code)) {
      return new MailError('TLS_UNTRUSTED', untrustedCertificateMessage(code), {
        detail,
        cause: error,
        retryable: false,
      });
    }
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return tlsFailed(detail, error);
  }
  if (isOpenSslError(error)) return tlsFailed(detail, error);
  return new MailError('INTERNAL', 'Something went wrong while talking to the mail server.', {
    detail,
    cause: error,
    retryable: false,
  });
}

/** A step that did not finish before its deadline. */
export function timeoutError(step: string, milliseconds: number): MailError {
  return new MailError('TIMEOUT', 'The mail server did not answer in time.', {
    detail: `${step}: no answer within ${milliseconds} ms`,
  });
}

export function connectionLost(detail: string, cause?: unknown): MailError {
  return new MailError('CONNECTION_LOST', 'The connection to the mail server was lost.', { detail, cause });
}

/** A reply we could not make sense of (bad numbers in STAT, LIST or UIDL, an unexpected continuation). */
export function malformedReply(detail: string): MailError {
  return new MailError('SERVER_REJECTED', 'The mail server sent a reply this app does not understand.', {
    detail,
    retryable: false,
  });
}

function tlsFailed(detail: string, cause: unknown): MailError {
  return new MailError('TLS_FAILED', 'A secure connection to the mail server could not be established.', {
    detail,
    cause,
    retryable: false,
  });
}

function fromProtocolViolation(error: Pop3ProtocolError): MailError {
  switch (error.violation) {
    case 'reply-too-large':
      return new MailError('MALFORMED_MESSAGE', 'The message is too large to download.', {
        detail: error.message,
        cause: error,
        retryable: false,
      });
    case 'line-too-long':
    case 'malformed-reply':
      return new MailError('SERVER_REJECTED', 'The mail server sent a reply this app does not understand.', {
        detail: error.message,
        cause: error,
        retryable: false,
      });
    default:
      return assertNever(error.violation);
  }
}

/**
 * A `-ERR` reply to `command` as a MailError. `secrets` (the password and anything derived from
 * it) are cut out of the server's text before it is kept: a broken server may echo them.
 */
export function serverReplyError(
  command: Pop3Command,
  serverText: string,
  secrets: readonly string[] = [],
): MailError {
  const detail = redact(serverText, secrets);
  const byCode = fromResponseCode(responseCode(serverText), detail);
  if (byCode !== null) return byCode;
  switch (command) {
    case 'USER':
    case 'PASS':
    case 'APOP':
    case 'AUTH':
      // RFC 1939 §7 PASS: "-ERR unable to lock maildrop" and servers without RFC 2449 response
      // codes say "locked"/"busy"/"in use" when another client holds the mailbox.
      if (/\block(ed)?\b|\bbusy\b|\bin[- ]use\b/i.test(serverText)) return busy(IN_USE_MESSAGE, detail);
      return authFailed(detail);
    case 'GREETING':
      // RFC 1939 §4 always greets with +OK; servers at their connection limit greet with -ERR.
      return busy('The mail server is refusing connections right now. Try again later.', detail);
    case 'STLS':
      return new MailError('TLS_FAILED', 'The mail server refused to start a secure connection.', {
        detail,
        retryable: false,
      });
    case 'TOP':
    case 'RETR':
    case 'DELE':
      return new MailError('NOT_FOUND', 'The message is no longer on the mail server.', {
        detail,
        retryable: false,
      });
    case 'QUIT':
      // RFC 1939 §6: "-ERR some deleted messages not removed". They will be found again next time.
      return new MailError(
        'SERVER_REJECTED',
        'The mail server could not finish the session; messages marked for deletion may still be there.',
        { detail, retryable: true },
      );
    case 'CAPA':
    case 'STAT':
    case 'LIST':
    case 'UIDL':
    case 'RSET':
    case 'NOOP':
      return new MailError('SERVER_REJECTED', 'The mail server rejected the request.', {
        detail,
        retryable: false,
      });
    default:
      return assertNever(command);
  }
}

const IN_USE_MESSAGE =
  'The mailbox is in use by another program (another mail app may be checking it). Try again in a few minutes.';

function authFailed(detail: string): MailError {
  return new MailError('AUTH_FAILED', 'The server rejected the user name or password.', {
    detail,
    retryable: false,
  });
}

function busy(message: string, detail: string): MailError {
  return new MailError('SERVER_BUSY', message, { detail, retryable: true });
}

/**
 * RFC 2449 §8: an extended response code is bracketed right after "-ERR ". Codes are hierarchical
 * ("SYS/TEMP"); an unknown code is treated as its known parent, an unknown top level as no code.
 */
export function responseCode(serverText: string): string | null {
  const match = /^\[([^\]\s]+)\]/.exec(serverText);
  return match?.[1]?.toUpperCase() ?? null;
}

/** RFC 2449 §8.1.2: the server refused the login because the last one was too recent. */
export function isLoginDelayRefusal(error: unknown): boolean {
  return (
    error instanceof MailError &&
    error.code === 'SERVER_BUSY' &&
    responseCode(error.detail ?? '')?.split('/')[0] === 'LOGIN-DELAY'
  );
}

function fromResponseCode(code: string | null, detail: string): MailError | null {
  if (code === null) return null;
  const [top, second] = code.split('/');
  switch (top) {
    case 'IN-USE': // RFC 2449 §8.1.1: another session holds the mailbox
      return busy(IN_USE_MESSAGE, detail);
    case 'LOGIN-DELAY': // RFC 2449 §8.1.2: logged in too recently
      return busy(
        'The mail server allows checking for mail only every few minutes. Try again later.',
        detail,
      );
    case 'AUTH': // RFC 3206 §4: the credentials are wrong
      return authFailed(detail);
    case 'SYS': // RFC 3206 §5: a system error, temporary or permanent
      if (second === 'TEMP') return busy('The mail server has a temporary problem. Try again later.', detail);
      if (second === 'PERM') {
        return new MailError(
          'SERVER_REJECTED',
          'The mail server reported a permanent problem with this mailbox.',
          {
            detail,
            retryable: false,
          },
        );
      }
      return null;
    default:
      return null;
  }
}

/** Removes every occurrence of each secret (empty ones ignored) from server text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('[redacted]');
  }
  return out;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}

function isOpenSslError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('library' in error)) return false;
  const { library } = error;
  return typeof library === 'string' && /ssl/i.test(library);
}
