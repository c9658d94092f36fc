/**
 * The submission failures that carry more than a code: which recipients were refused, what size
 * the server accepts, and "the connection broke after the message went out". Each is a MailError,
 * so sync/ and api/ treat them like any other; the outbox reads the typed fields.
 */
import { MailError } from '../../domain/errors';

/** One address the server refused at RCPT TO (RFC 5321 §4.1.1.3), with its own words. */
export interface RejectedRecipient {
  address: string;
  /** The reply code, e.g. 550 (RFC 5321 §4.2); 4xx means the refusal is temporary. */
  code: number;
  /** The whole reply, e.g. "550 5.1.1 <x@example.test>: Recipient address rejected: User unknown". */
  response: string;
}

function recipientsMessage(rejected: readonly RejectedRecipient[]): string {
  const addresses = rejected.map((r) => r.address).join(', ');
  return rejected.length === 1
    ? `The server refused the recipient ${addresses}. Nothing was sent.`
    : `The server refused these recipients: ${addresses}. Nothing was sent.`;
}

/**
 * Some recipients were refused, so the message was not sent to anyone: the user corrects the
 * address and sends again, and nobody gets the message twice or a version with a partial list.
 * Retryable only when every refusal was temporary (4xx).
 */
export class SmtpRecipientsRejectedError extends MailError {
  readonly rejected: readonly RejectedRecipient[];

  constructor(rejected: readonly RejectedRecipient[], options: { cause?: unknown } = {}) {
    super('SERVER_REJECTED', recipientsMessage(rejected), {
      retryable: rejected.length > 0 && rejected.every((r) => r.code >= 400 && r.code < 500),
      detail: rejected.map((r) => r.response).join('\n'),
      cause: options.cause,
    });
    this.name = 'SmtpRecipientsRejectedError';
    this.rejected = rejected;
  }
}

const BYTES_PER_MB = 1024 * 1024;

/** 52428800 -> "50", 10240000 -> "9.8" (binary megabytes, as mail clients and servers show them). */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / BYTES_PER_MB;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1).replace(/\.0$/, '');
}

/**
 * The message exceeds the server's limit: refused before DATA when the EHLO SIZE keyword
 * announced the limit (RFC 1870 §6), or by the server's 552 / x.3.4 reply otherwise.
 */
export class SmtpMessageTooLargeError extends MailError {
  /** The server's limit in octets, when it announced one. */
  readonly maxSize: number | null;
  /** The message's size in octets, when known. */
  readonly size: number | null;

  constructor(
    maxSize: number | null,
    size: number | null,
    options: { detail?: string; cause?: unknown } = {},
  ) {
    const limit = maxSize === null ? '' : ` (${formatMegabytes(maxSize)} MB max)`;
    const facts = [
      maxSize === null ? null : `SIZE ${maxSize}: the server accepts at most ${maxSize} bytes`,
      size === null ? null : `the message is ${size} bytes`,
      options.detail ?? null,
    ];
    super('SERVER_REJECTED', `The message is larger than the server accepts${limit}.`, {
      retryable: false,
      detail: facts.filter((fact) => fact !== null).join('; '),
      cause: options.cause,
    });
    this.name = 'SmtpMessageTooLargeError';
    this.maxSize = maxSize;
    this.size = size;
  }
}

/**
 * The connection broke after the message content had started to go out and before the server's
 * final reply: the server may or may not have accepted it (RFC 5321 §4.1.1.4 and §6.1; RFC 1047
 * describes the duplicate this causes when a client simply sends again). Not retryable: the caller
 * must decide (look in Sent, ask the user) rather than send blindly.
 */
export class SmtpDeliveryUnknownError extends MailError {
  readonly deliveryUnknown = true as const;

  constructor(detail: string, options: { cause?: unknown } = {}) {
    super(
      'CONNECTION_LOST',
      'The connection was lost while the message was being sent. It may or may not have been delivered.',
      { retryable: false, detail, cause: options.cause },
    );
    this.name = 'SmtpDeliveryUnknownError';
  }
}

export function isDeliveryUnknown(value: unknown): value is SmtpDeliveryUnknownError {
  return value instanceof SmtpDeliveryUnknownError;
}
