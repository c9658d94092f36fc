/**
 * One mail transaction (RFC 5321 §3.3: MAIL FROM, RCPT TO..., DATA) over an open SmtpSession,
 * sending the outbox's bytes exactly as given.
 *
 * The moments the outbox must tell apart for "submitted exactly once":
 * 1. Before the message content: every failure is "not sent", safe to retry. This includes a
 *    refused recipient: if ANY recipient is refused, no content is sent at all (the server answered
 *    DATA, possibly pipelined per RFC 2920, but the transaction is abandoned by closing the
 *    connection without the final ".", which RFC 5321 §4.1.1.4 makes the server discard), so the
 *    user fixes the address and nobody receives the message twice or with a partial list.
 * 2. `onDataStart` runs after the server accepted every recipient and answered DATA with 354, right
 *    before the first byte of content: the outbox records "content going out" there. If it throws,
 *    the transaction is abandoned the same way and its error is rethrown.
 * 3. The promise resolves right after the server's final 250: the outbox records "sent".
 * Between 2 and 3, a connection lost without a reply is SmtpDeliveryUnknownError (deliveryUnknown:
 * the server may have the message, RFC 1047), never a plain retryable error.
 */
import { Readable } from 'node:stream';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { MailError } from '../../domain/errors';
import { rejectedRecipientsOf, toMailError } from './errors';
import { nodemailerStep, type SmtpSession } from './session';
import {
  SmtpDeliveryUnknownError,
  SmtpMessageTooLargeError,
  SmtpRecipientsRejectedError,
  type RejectedRecipient,
} from './submission-errors';

export interface SmtpEnvelope {
  /** MAIL FROM (RFC 5321 §4.1.1.2): the address bounces go to. */
  from: string;
  /** RCPT TO, one per address (RFC 5321 §4.1.1.3), Bcc included: they are not in the headers. */
  to: string[];
}

export interface SmtpSendOptions {
  /** The size in octets when `raw` is a stream, for the RFC 1870 check before DATA. */
  messageSizeHint?: number;
  /** Runs after 354 and before the first byte of content; see the top of this file. */
  onDataStart?: () => void | Promise<void>;
  /**
   * Send to the accepted recipients even when some were refused (reported in `rejected`).
   * Off by default: a refused recipient means nothing is sent.
   */
  allowPartialRecipients?: boolean;
}

export interface SmtpSendResult {
  /** The recipients the server accepted the message for. */
  accepted: string[];
  /** Refused recipients; empty unless `allowPartialRecipients` was set. */
  rejected: RejectedRecipient[];
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F2A1". */
  response: string;
  /**
   * The Message-ID the server gave the message when it replaces the header (Microsoft 365,
   * Amazon SES name it in the final reply), so the sent copy can be matched.
   */
  messageId?: string;
}

/** Thrown inside the message stream to stop it (nodemailer reports ESTREAM); the reason is kept apart. */
const abandonment = (): Error => new Error('transaction abandoned before the message content');

/** A property of a thrown value, whatever was thrown. */
const field = (error: unknown, name: string): unknown =>
  typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined;

/**
 * The recipients refused so far in the current transaction. nodemailer reports them only with the
 * final result, after the content went out; they are needed before the first byte. This is the
 * one nodemailer internal read in this folder (`_envelope.rejectedErrors`, filled from the RCPT
 * replies before DATA's reply is handled), checked at run time: null when its shape is not the
 * expected one, and the caller then refuses to send rather than risk a partial delivery.
 */
function recipientsRefusedSoFar(connection: SMTPConnection): RejectedRecipient[] | null {
  const envelope: unknown = Reflect.get(connection, '_envelope');
  if (typeof envelope !== 'object' || envelope === null) return null;
  const errors: unknown = Reflect.get(envelope, 'rejectedErrors');
  if (!Array.isArray(errors)) return null;
  const refused = rejectedRecipientsOf(errors);
  return refused.length === errors.length ? refused : null;
}

const uncheckedRecipients = (): MailError =>
  new MailError('INTERNAL', 'The recipients could not be confirmed before sending, so nothing was sent.', {
    retryable: false,
    detail: "nodemailer's envelope state is not in the expected shape",
  });

/** The server answered after the content (a 4xx or 5xx reply): the outcome is known. */
function hasReply(error: unknown): boolean {
  const code = field(error, 'responseCode');
  return typeof code === 'number' && code >= 200;
}

function lostDetail(error: unknown): string {
  const code = field(error, 'originalCode') ?? field(error, 'code');
  const name = typeof code === 'string' ? code : 'connection closed';
  return `${name} after the message content started to go out, before the server's final reply`;
}

export async function submitMessage(
  session: SmtpSession,
  envelope: SmtpEnvelope,
  raw: Buffer | Readable,
  options: SmtpSendOptions = {},
): Promise<SmtpSendResult> {
  const size = Buffer.isBuffer(raw) ? raw.length : (options.messageSizeHint ?? null);
  const maxSize = session.capabilities.maxSize;
  // RFC 1870 §6: a client that knows the message exceeds the announced SIZE must not send it.
  if (size !== null && maxSize !== null && size > maxSize) throw new SmtpMessageTooLargeError(maxSize, size);

  let abandonedFor: unknown = null;
  let contentStarted = false;
  let settled = false;
  const beforeContent = async (): Promise<void> => {
    const refused = recipientsRefusedSoFar(session.connection);
    if (refused === null) abandonedFor = uncheckedRecipients();
    else if (refused.length > 0 && options.allowPartialRecipients !== true) {
      abandonedFor = new SmtpRecipientsRejectedError(refused);
    }
    if (abandonedFor === null) {
      try {
        await options.onDataStart?.();
      } catch (error) {
        abandonedFor = error;
      }
    }
    if (abandonedFor !== null || settled) throw abandonment();
    contentStarted = true;
  };
  async function* content(): AsyncGenerator<Buffer | string> {
    await beforeContent();
    if (Buffer.isBuffer(raw)) yield raw;
    else {
      const chunks: AsyncIterable<Buffer | string> = raw;
      for await (const chunk of chunks) yield chunk;
    }
    // The final "." follows; from here the server may take its time (RFC 5321 §4.5.3.2.6).
    session.extendReplyTimeout(session.timeouts.dataEndMs);
  }

  const connection = session.connection;
  // nodemailer reads the message only once DATA was answered with 354, so content() starts then.
  const message = Readable.from(content(), { objectMode: false });
  const mailEnvelope: SMTPConnection.Envelope = {
    from: envelope.from,
    to: envelope.to,
    // RFC 1870 §6: SIZE= on MAIL FROM lets the server refuse before the transfer.
    ...(size !== null ? { size } : {}),
    // RFC 6152: declared whenever offered, so 8-bit content is never sent undeclared.
    use8BitMime: true,
  };
  try {
    const info = await nodemailerStep<SMTPConnection.SentMessageInfo>(connection, (done) =>
      connection.send(mailEnvelope, message, done),
    );
    settled = true;
    return {
      accepted: info.accepted,
      rejected: rejectedRecipientsOf(info.rejectedErrors),
      response: info.response,
      ...(info.serverMessageId !== undefined ? { messageId: info.serverMessageId } : {}),
    };
  } catch (error) {
    settled = true;
    if (abandonedFor !== null) throw abandonedFor;
    // A failed source never got its final "." out, so the server discards what it had.
    if (contentStarted && field(error, 'code') !== 'ESTREAM' && !hasReply(error)) {
      throw new SmtpDeliveryUnknownError(lostDetail(error), { cause: error });
    }
    const mapped = toMailError(error);
    // A server that refused the size only after the content (no SIZE= was known to send) still
    // announced its limit in EHLO: say it.
    if (mapped instanceof SmtpMessageTooLargeError && mapped.maxSize === null && maxSize !== null) {
      throw new SmtpMessageTooLargeError(maxSize, size, { detail: mapped.detail, cause: error });
    }
    throw mapped;
  }
}
