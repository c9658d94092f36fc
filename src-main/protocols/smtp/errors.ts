/**
 * nodemailer, socket, DNS and TLS errors -> MailError, where they enter (STYLE.md §3). The message
 * is user-facing English; `detail` keeps the server's own reply (RFC 5321 §4.2, with the RFC 3463
 * enhanced code) or the low-level error code. Neither ever holds a credential: only replies and
 * codes are read, never a command line (nodemailer's `command` names the verb alone anyway).
 */
import { MailError, isMailError, type ErrorCode } from '../../domain/errors';
import { untrustedCertificateMessage } from '../../domain/certificate-trust';
import {
  SmtpMessageTooLargeError,
  SmtpRecipientsRejectedError,
  type RejectedRecipient,
} from './submission-errors';

/** The fields nodemailer (NodemailerError) and Node (ErrnoException) attach to their errors. */
interface ErrorFields {
  message?: unknown;
  code?: unknown;
  originalCode?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
  timeoutType?: unknown;
  recipient?: unknown;
  rejectedErrors?: unknown;
}

const fieldsOf = (e: unknown): ErrorFields => (typeof e === 'object' && e !== null ? (e as ErrorFields) : {});

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN']);
/** OpenSSL verification failures: the certificate, not the TLS session, is the problem. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** How refusals of a certificate name this server (domain/certificate-trust.ts words them). */
export const OUTGOING_SERVER = 'The outgoing mail server';

const INTERNAL_MESSAGE = 'An unexpected error occurred while talking to the outgoing mail server.';

const MESSAGES: Readonly<Partial<Record<ErrorCode, string>>> = {
  AUTH_FAILED: 'The outgoing mail server rejected the user name or password.',
  TLS_UNTRUSTED: untrustedCertificateMessage('', OUTGOING_SERVER),
  TLS_FAILED: 'A secure connection to the outgoing mail server could not be established.',
  DNS_FAILED: 'The outgoing mail server name could not be found. Check the server name and your network.',
  CONNECT_FAILED: 'Could not connect to the outgoing mail server. Check the server name and port.',
  CONNECTION_LOST: 'The connection to the outgoing mail server was lost.',
  TIMEOUT: 'The outgoing mail server did not answer in time.',
  SERVER_BUSY: 'The outgoing mail server is busy. Try again later.',
  SERVER_REJECTED: 'The outgoing mail server refused the request.',
  MALFORMED_MESSAGE: 'The message could not be sent because it is empty or malformed.',
  CANCELLED: 'Sending was cancelled.',
  BAD_REQUEST: 'The message has an invalid sender or recipient address.',
  INTERNAL: INTERNAL_MESSAGE,
};

const SPECIFIC_MESSAGES = {
  authRequired: 'The outgoing mail server requires signing in before sending.',
  authUnavailable: 'The outgoing mail server could not check the password right now. Try again later.',
  senderRefused: 'The outgoing mail server refused the sender address.',
  noStartTls: 'The server does not offer a secure connection (STARTTLS), so the connection was not made.',
  connectTimeout: 'Could not connect to the outgoing mail server in time.',
  streamFailed: 'The message could not be read from the outbox, so it was not sent.',
} as const;

/** "552 5.3.4 Message size exceeds fixed limit" -> { code: 552, enhanced: [5, 3, 4] } (RFC 3463). */
export function parseReply(response: string): { code: number; enhanced: [number, number, number] | null } {
  const match = /^(\d{3})(?:[ -]([245])\.(\d{1,3})\.(\d{1,3}))?/.exec(response);
  if (!match) return { code: 0, enhanced: null };
  const enhanced: [number, number, number] | null =
    match[2] === undefined ? null : [Number(match[2]), Number(match[3]), Number(match[4])];
  return { code: Number(match[1]), enhanced };
}

function build(code: ErrorCode, e: unknown, detail: string | undefined, message?: string): MailError {
  return new MailError(code, message ?? MESSAGES[code] ?? INTERNAL_MESSAGE, { detail, cause: e });
}

/** RFC 5321 §4.2.1 reply classes: 4yz transient (retry may help), 5yz permanent. */
function fromReply(e: unknown, response: string, replyCode: number, command: string | undefined): MailError {
  const { enhanced } = parseReply(response);
  const status = enhanced?.join('.') ?? '';
  const transient = replyCode >= 400 && replyCode < 500;
  // RFC 1870 §6.1 / RFC 3463 X.3.4 "message too big for system"; X.2.3 "message length exceeds
  // administrative limit".
  if (replyCode === 552 || status.endsWith('.3.4') || status === '5.2.3') {
    return new SmtpMessageTooLargeError(null, null, { detail: response, cause: e });
  }
  // RFC 4954 §6: a refused AUTH is a wrong credential unless temporary (454: the server could not
  // check it); 530 authentication required, 534 mechanism too weak, 535 credentials invalid, 538
  // encryption required for the mechanism.
  if (command?.startsWith('AUTH')) {
    return transient
      ? build('SERVER_BUSY', e, response, SPECIFIC_MESSAGES.authUnavailable)
      : build('AUTH_FAILED', e, response);
  }
  if (replyCode === 530) return build('AUTH_FAILED', e, response, SPECIFIC_MESSAGES.authRequired);
  if (replyCode === 534 || replyCode === 535 || replyCode === 538) return build('AUTH_FAILED', e, response);
  // RFC 5321 §4.2.3: 421 service closing, 450/451/452 mailbox busy, local error, no storage.
  if (replyCode === 421 || replyCode === 450 || replyCode === 451 || replyCode === 452) {
    return build('SERVER_BUSY', e, response);
  }
  const message = command === 'MAIL FROM' ? SPECIFIC_MESSAGES.senderRefused : undefined;
  // 503 "bad sequence of commands" is about the session, not the message: a new one may succeed.
  const retryable = transient || replyCode === 503;
  return new MailError('SERVER_REJECTED', message ?? MESSAGES.SERVER_REJECTED ?? INTERNAL_MESSAGE, {
    retryable,
    detail: response,
    cause: e,
  });
}

/** nodemailer's per-recipient errors (EENVELOPE, command "RCPT TO") -> RejectedRecipient. */
export function rejectedRecipientsOf(errors: unknown): RejectedRecipient[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((item: unknown) => {
    const f = fieldsOf(item);
    const address = text(f.recipient);
    const response = text(f.response) ?? '';
    if (address === undefined) return [];
    const code = typeof f.responseCode === 'number' ? f.responseCode : parseReply(response).code;
    return [{ address, code, response }];
  });
}

/** Errors that carry no SMTP reply: the socket, DNS, TLS and nodemailer's own checks. */
function fromLowLevel(e: unknown, f: ErrorFields): MailError {
  const code = text(f.code) ?? '';
  const lowLevel = text(f.originalCode) ?? code;
  const message = text(f.message);
  if (code === 'EDNS' || DNS_CODES.has(lowLevel)) return build('DNS_FAILED', e, lowLevel || message);
  if (REFUSED_CODES.has(lowLevel)) return build('CONNECT_FAILED', e, lowLevel);
  if (CERT_CODES.has(lowLevel)) {
    return build('TLS_UNTRUSTED', e, lowLevel, untrustedCertificateMessage(lowLevel, OUTGOING_SERVER));
  }
  if (code === 'ETIMEDOUT') {
    const kind = text(f.timeoutType);
    const specific = kind === 'CONNECT_TIMEOUT' ? SPECIFIC_MESSAGES.connectTimeout : undefined;
    return build('TIMEOUT', e, kind ?? lowLevel, specific);
  }
  if (code === 'ETLS' || lowLevel.startsWith('ERR_SSL_') || lowLevel.startsWith('ERR_TLS_')) {
    return build('TLS_FAILED', e, message ?? lowLevel);
  }
  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
    case 'EOAUTH2':
      return build('AUTH_FAILED', e, message);
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EPROTOCOL':
      return build('CONNECTION_LOST', e, lowLevel !== code ? lowLevel : message);
    case 'EENVELOPE':
      return build('BAD_REQUEST', e, message);
    case 'EMESSAGE':
      // nodemailer's own SIZE check (we check first, so this is a fallback) or an empty message.
      return /size/i.test(message ?? '')
        ? new SmtpMessageTooLargeError(null, null, { detail: message, cause: e })
        : build('MALFORMED_MESSAGE', e, message);
    case 'ESTREAM':
      return build('INTERNAL', e, message, SPECIFIC_MESSAGES.streamFailed);
    case 'EABORT':
      return build('CANCELLED', e, message);
  }
  if (lowLevel === 'ECONNRESET' || lowLevel === 'EPIPE' || lowLevel === 'ECONNABORTED') {
    return build('CONNECTION_LOST', e, lowLevel);
  }
  return build('INTERNAL', e, lowLevel || message);
}

export function toMailError(e: unknown): MailError {
  if (isMailError(e)) return e;
  const f = fieldsOf(e);
  const rejected = rejectedRecipientsOf(f.rejectedErrors);
  if (rejected.length > 0) return new SmtpRecipientsRejectedError(rejected, { cause: e });
  const response = text(f.response);
  const command = text(f.command);
  const replyCode = typeof f.responseCode === 'number' ? f.responseCode : parseReply(response ?? '').code;
  if (text(f.code) === 'ETLS' && response !== undefined) {
    // RFC 3207 §4: the server refused STARTTLS; requireTLS means we never continue in clear.
    return build('TLS_FAILED', e, response, SPECIFIC_MESSAGES.noStartTls);
  }
  if (response !== undefined && replyCode >= 400 && replyCode < 600) {
    return fromReply(e, response, replyCode, command);
  }
  return fromLowLevel(e, f);
}
