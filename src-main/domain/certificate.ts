import { MailError, type MailErrorOptions } from './errors';

/**
 * What the user is shown before deciding to trust a server certificate, and what a pin is made
 * from. Shared by every protocol adapter (IMAP, POP3, SMTP), which may not import each other.
 */
export interface CertificateInfo {
  /** Subject distinguished name, e.g. "CN=mail.example.test, O=Example". */
  subject: string;
  issuer: string;
  /** ISO 8601 when parseable, else as the certificate states it. */
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER certificate: uppercase hex, colon separated (the TlsTrust.pinnedSha256 form). */
  fingerprint256: string;
}

/** A TLS_UNTRUSTED MailError that carries the certificate the server presented. */
export class UntrustedCertificateError extends MailError {
  readonly certificate: CertificateInfo;

  constructor(certificate: CertificateInfo, message: string, options: MailErrorOptions = {}) {
    super('TLS_UNTRUSTED', message, { retryable: false, ...options });
    this.name = 'UntrustedCertificateError';
    this.certificate = certificate;
  }
}

export function isUntrustedCertificateError(value: unknown): value is UntrustedCertificateError {
  return value instanceof UntrustedCertificateError;
}
