import type { PeerCertificate } from 'node:tls';
import type { CertificateInfo } from '../../domain/certificate';
import type { TlsTrust } from '../../domain/security';

/**
 * The trust decision for a server certificate, kept pure so every branch is unit-tested:
 * - with a pin, exactly the pinned leaf certificate is accepted (by SHA-256 of its DER), whatever
 *   its chain, name or dates: the user trusted that certificate, and nothing else;
 * - without one, the TLS stack's verdict stands (chain to the system CAs or trust.extraCaPem, and
 *   the host name per RFC 6125 through Node's checkServerIdentity).
 */

export interface HandshakeFacts {
  /** Node's `socket.authorized`: chain and host name both verified. */
  authorized: boolean;
  /** Node's `socket.authorizationError` (e.g. "DEPTH_ZERO_SELF_SIGNED_CERT"), when not authorized. */
  authorizationError: string | null;
  fingerprint256: string;
}

export type TrustVerdict = { trusted: true } | { trusted: false; reason: string };

/** "ab:cd" / "ABCD" / "AB CD" -> "ABCD", to compare fingerprints written in any common form. */
export const normalizeFingerprint = (value: string): string => value.replace(/[^0-9a-f]/gi, '').toUpperCase();

export function judgeCertificate(facts: HandshakeFacts, trust: TlsTrust | undefined): TrustVerdict {
  const pin = trust?.pinnedSha256;
  if (pin !== undefined && pin !== '') {
    const presented = normalizeFingerprint(facts.fingerprint256);
    return presented !== '' && presented === normalizeFingerprint(pin)
      ? { trusted: true }
      : { trusted: false, reason: 'PINNED_CERTIFICATE_MISMATCH' };
  }
  if (facts.authorized) return { trusted: true };
  return { trusted: false, reason: facts.authorizationError ?? 'CERTIFICATE_NOT_VERIFIED' };
}

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
