import type { PeerCertificate } from 'node:tls';
import type { CertificateInfo } from '../../domain/certificate';

/** The decision itself is shared by every protocol (domain/certificate-trust.ts). */
export { judgeCertificate, normalizeFingerprint } from '../../domain/certificate-trust';
export type { HandshakeFacts, TrustVerdict } from '../../domain/certificate-trust';

type NameFields = PeerCertificate['subject'] | undefined;

/** { CN: 'localhost', O: 'Example' } -> "CN=localhost, O=Example" (multi-valued fields joined with '+'). */
export function formatDistinguishedName(name: NameFields): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** "Jan  1 00:00:00 2030 GMT" (OpenSSL's form) -> ISO 8601; unparseable text is kept as it is. */
export function certificateDate(value: string | undefined): string {
  if (value === undefined) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The user-facing summary of what the server presented (empty strings when it presented nothing). */
export function certificateInfo(cert: Partial<PeerCertificate> | undefined): CertificateInfo {
  return {
    subject: formatDistinguishedName(cert?.subject),
    issuer: formatDistinguishedName(cert?.issuer),
    validFrom: certificateDate(cert?.valid_from),
    validTo: certificateDate(cert?.valid_to),
    fingerprint256: cert?.fingerprint256 ?? '',
  };
}
