import { untrustedCertificateMessage } from '../../domain/certificate-trust';
import { MailError, isMailError, type ErrorCode } from '../../domain/errors';

/**
 * imapflow, socket, DNS and TLS errors -> MailError, where they enter (STYLE.md §3). The message
 * is user-facing English; `detail` keeps the server's own words (a tagged NO/BAD text, RFC 3501
 * §7.1) or the low-level code. Neither ever holds a credential: only response text and error
 * codes are read, never the command that was sent.
 */

/** The fields imapflow and Node attach to their errors (imapflow's ImapFlowError, NodeJS.ErrnoException). */
interface ErrorFields {
  message?: unknown;
  code?: unknown;
  authenticationFailed?: unknown;
  tlsFailed?: unknown;
  responseStatus?: unknown;
  responseText?: unknown;
  response?: unknown;
  serverResponseCode?: unknown;
  reason?: unknown;
  mailboxMissing?: unknown;
  _err?: unknown;
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const LOST_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'NoConnection',
  'EConnectionClosed',
  'StateLogout',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'COMPRESS_TRAILING_DATA',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ETIMEOUT',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'LockTimeout',
]);
/** OpenSSL / Node verification failures: the certificate, not the TLS session, is the problem. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** Responses that end the connection's usefulness although no socket error occurred. */
const PROTOCOL_BREAK =
  /^(ParserError|MissingTag|UnexpectedTag|InvalidResponse|LineTooLarge|LiteralTooLarge|ResponseTooLarge|TooManyTokens|TooManyResponses|STARTTLS_INJECTION)/;

/** RFC 5530 response codes worth their own ErrorCode. */
const RESPONSE_CODES: Readonly<Record<string, ErrorCode>> = {
  OVERQUOTA: 'QUOTA_EXCEEDED',
  NONEXISTENT: 'NOT_FOUND',
  TRYCREATE: 'NOT_FOUND', // RFC 3501 §7.1: the destination mailbox does not exist
  UNAVAILABLE: 'SERVER_BUSY',
  INUSE: 'SERVER_BUSY',
  AUTHENTICATIONFAILED: 'AUTH_FAILED',
  AUTHORIZATIONFAILED: 'AUTH_FAILED',
  EXPIRED: 'AUTH_FAILED',
};

const MESSAGES: Readonly<Partial<Record<ErrorCode, string>>> = {
  AUTH_FAILED: 'The mail server rejected the user name or password.',
  DNS_FAILED: 'The mail server name could not be found. Check the server name and your network.',
  CONNECT_FAILED: 'Could not connect to the mail server. Check the server name and port.',
  CONNECTION_LOST: 'The connection to the mail server was lost.',
  TIMEOUT: 'The mail server did not answer in time.',
  TLS_UNTRUSTED: untrustedCertificateMessage(''),
  TLS_FAILED: 'A secure connection to the mail server could not be established.',
  QUOTA_EXCEEDED: 'The mailbox on the server is full.',
  NOT_FOUND: 'The folder or message no longer exists on the server.',
  SERVER_BUSY: 'The mail server is busy. Try again later.',
  SERVER_REJECTED: 'The mail server refused the request.',
  INTERNAL: 'An unexpected error occurred while talking to the mail server.',
};

function fieldsOf(e: unknown): ErrorFields {
  return typeof e === 'object' && e !== null ? (e as ErrorFields) : {};
}

/** The server's words: the tagged response text, or the (enhanced) response string, or a BYE reason. */
function serverWords(f: ErrorFields): string | undefined {
  return asString(f.responseText) ?? asString(f.response) ?? asString(f.reason);
}

function build(code: ErrorCode, e: unknown, detail: string | undefined, message?: string): MailError {
  return new MailError(code, message ?? MESSAGES[code] ?? MESSAGES.INTERNAL ?? '', { detail, cause: e });
}

function classify(f: ErrorFields): ErrorCode | null {
  const code = asString(f.code) ?? '';
  if (f.authenticationFailed === true) return 'AUTH_FAILED';
  if (DNS_CODES.has(code)) return 'DNS_FAILED';
  if (REFUSED_CODES.has(code)) return 'CONNECT_FAILED';
  if (CERT_CODES.has(code)) return 'TLS_UNTRUSTED';
  if (TIMEOUT_CODES.has(code)) return 'TIMEOUT';
  if (LOST_CODES.has(code) || PROTOCOL_BREAK.test(code)) return 'CONNECTION_LOST';
  if (code === 'ETHROTTLE') return 'SERVER_BUSY';
  if (code === 'NotFound' || f.mailboxMissing === true) return 'NOT_FOUND';
  if (f.tlsFailed === true || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'TLS_FAILED';
  return null;
}

function quotaMentioned(words: string | undefined): boolean {
  return words !== undefined && /\bquota\b|mailbox is full|over ?quota/i.test(words);
}

export function toMailError(e: unknown): MailError {
  if (isMailError(e)) return e;
  const f = fieldsOf(e);
  const words = serverWords(f);
  const code = asString(f.code);
  const responseCode = asString(f.serverResponseCode)?.toUpperCase();

  const byKind = classify(f);
  if (byKind === 'AUTH_FAILED') return build('AUTH_FAILED', e, words ?? asString(f.message));
  if (byKind === 'TLS_UNTRUSTED') return build(byKind, e, code, untrustedCertificateMessage(code ?? ''));
  if (byKind === 'TLS_FAILED' && /STARTTLS/i.test(asString(f.message) ?? '')) {
    const message =
      'The server does not offer a secure connection (STARTTLS), so the connection was not made.';
    return build('TLS_FAILED', e, asString(f.message), message);
  }
  if (byKind !== null) return build(byKind, e, words ?? code ?? asString(f.message));

  // A CONNECT_TIMEOUT can wrap the lower-level error that caused it.
  if (f._err !== undefined && f._err !== e) {
    const inner = classify(fieldsOf(f._err));
    if (inner !== null) return build(inner, e, serverWords(fieldsOf(f._err)) ?? code);
  }

  if (f.responseStatus === 'NO' || f.responseStatus === 'BAD') {
    if (responseCode === 'OVERQUOTA' || quotaMentioned(words)) return build('QUOTA_EXCEEDED', e, words);
    const mapped = responseCode === undefined ? undefined : RESPONSE_CODES[responseCode];
    return build(mapped ?? 'SERVER_REJECTED', e, words);
  }
  if (asString(f.message) === 'Socket timeout') return build('TIMEOUT', e, code);
  return build('INTERNAL', e, code ?? asString(f.message));
}
