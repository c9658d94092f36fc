/**
 * Message submission (RFC 6409) for the outbox and for account setup's "Connect" check. Each call
 * opens its own session (connect, EHLO, STARTTLS or implicit TLS, certificate check, AUTH) and ends
 * it: QUIT after success; after a failure the connection is simply closed, because a QUIT sent in
 * the middle of DATA would become part of the message.
 */
import type { Readable } from 'node:stream';
import { MailError } from '../../domain/errors';
import { SmtpSession, type SmtpSubmitterOptions } from './session';
import { submitMessage, type SmtpEnvelope, type SmtpSendOptions, type SmtpSendResult } from './transaction';

/** What "Connect" reports about the server. */
export interface SmtpServerInfo {
  /** RFC 1870 SIZE limit in octets, null when the server announces none. */
  maxSize: number | null;
  /** RFC 4954 SASL mechanisms offered on the secured session, e.g. ["PLAIN", "LOGIN"]. */
  authMethods: string[];
}

export class SmtpSubmitter {
  readonly #options: SmtpSubmitterOptions;

  constructor(options: SmtpSubmitterOptions) {
    this.#options = { ...options };
  }

  /** Connect, EHLO, STARTTLS, AUTH and QUIT: proves the settings and credentials work. */
  async verify(): Promise<SmtpServerInfo> {
    const session = await SmtpSession.open(this.#options);
    await session.quit();
    return { maxSize: session.capabilities.maxSize, authMethods: [...session.capabilities.authMethods] };
  }

  /**
   * Submits `raw` (the complete RFC 5322 message, CRLF line endings) byte for byte: only SMTP
   * dot-stuffing is applied on the wire (RFC 5321 §4.5.2). See transaction.ts for what each
   * outcome means for retrying; every failure is a MailError.
   */
  async send(
    envelope: SmtpEnvelope,
    raw: Buffer | Readable,
    options: SmtpSendOptions = {},
  ): Promise<SmtpSendResult> {
    let session: SmtpSession | null = null;
    try {
      if (envelope.to.length === 0) {
        throw new MailError('BAD_REQUEST', 'The message has no recipients.', { retryable: false });
      }
      session = await SmtpSession.open(this.#options);
      const result = await submitMessage(session, envelope, raw, options);
      // The message is accepted; QUIT is a courtesy the caller need not wait for.
      void session.quit();
      return result;
    } catch (error) {
      session?.close();
      // A stream that was not sent is released here, as nodemailer does with its own.
      if (!Buffer.isBuffer(raw)) raw.destroy();
      throw error;
    }
  }
}
