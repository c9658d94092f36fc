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

/** The fields of a presented certificate a summary needs (Node's PeerCertificate has them). */
export interface PresentedCertificate {
  /** Attribute -> value, or values when repeated: { CN: 'localhost', OU: ['a', 'b'] }. */
  subject?: object;
  issuer?: object;
  /** OpenSSL's form, "Jan  1 00:00:00 2030 GMT". */
  valid_from?: string;
  valid_to?: string;
  fingerprint256?: string;
}

/** { CN: 'localhost', O: 'Example' } -> "CN=localhost, O=Example" (repeated values joined with '+'). */
function distinguishedName(name: object | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.map(String).join('+') : String(value)}`)
    .join(', ');
}

/** OpenSSL's date -> ISO 8601; unparseable text is kept as it is. */
function isoDate(value: string | undefined): string {
  if (value === undefined) return '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** The user-facing summary of what a server presented (empty strings when it presented nothing). */
export function summarizeCertificate(cert: PresentedCertificate | undefined): CertificateInfo {
  return {
    subject: distinguishedName(cert?.subject),
    issuer: distinguishedName(cert?.issuer),
    validFrom: isoDate(cert?.valid_from),
    validTo: isoDate(cert?.valid_to),
    fingerprint256: cert?.fingerprint256 ?? '',
  };
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
