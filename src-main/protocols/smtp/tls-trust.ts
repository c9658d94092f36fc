/**
 * How an SMTP connection decides whether to trust the server's certificate:
 * - normally by Node's CA list plus `trust.extraCaPem`, with the host name checked (RFC 6125
 *   through Node's checkServerIdentity);
 * - or, once the user trusted one exact certificate (`trust.pinnedSha256`), by that certificate
 *   being presented, even if no CA signed it or its name or dates do not match. A pin widens trust
 *   to that one certificate; a certificate that verifies normally is still accepted, so a server
 *   that moves to a CA-signed certificate keeps working.
 *
 * nodemailer performs the TLS handshake itself (implicit TLS, RFC 8314, or STARTTLS, RFC 3207),
 * so the handshake runs with Node's verification on but not enforced (`rejectUnauthorized:
 * false`), and the decision is made by assertTrustedPeer() as soon as nodemailer reports the
 * session ready, before AUTH (RFC 4954) or MAIL FROM: no credential and no message ever crosses an
 * untrusted connection. Up to then only EHLO went out, whose name STARTTLS already sent in clear.
 */
import type { ConnectionOptions, PeerCertificate, TLSSocket } from 'node:tls';
import { rootCertificates } from 'node:tls';
import { UntrustedCertificateError, type CertificateInfo } from '../../domain/certificate';
import { judgeCertificate } from '../../domain/certificate-trust';
import type { TlsTrust } from '../../domain/security';

/** TLS 1.0 and 1.1 are deprecated (RFC 8996); RFC 8314 §4.1 asks for current TLS. */
const MIN_TLS_VERSION = 'TLSv1.2';

const UNTRUSTED_MESSAGE =
  'The server presented a certificate that is not trusted. Check the certificate before trusting it.';

/** Options for nodemailer's `tls` (handed to tls.connect for implicit TLS and for STARTTLS). */
export function tlsConnectOptions(trust: TlsTrust | undefined): ConnectionOptions {
  const extraCa = trust?.extraCaPem;
  return {
    // `ca` replaces Node's list, so the extra CA is added to the system roots, not given alone.
    ...(extraCa !== undefined && extraCa !== '' ? { ca: [...rootCertificates, extraCa] } : {}),
    minVersion: MIN_TLS_VERSION,
    // Verification still runs (socket.authorized / authorizationError); assertTrustedPeer enforces it.
    rejectUnauthorized: false,
  };
}

export { judgeCertificate, normalizeFingerprint } from '../../domain/certificate-trust';
export type { HandshakeFacts, TrustVerdict } from '../../domain/certificate-trust';

/** { CN: 'localhost', O: 'Example' } -> "CN=localhost, O=Example" (repeated fields joined by '+'). */
function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** What the user is shown before deciding to trust the certificate (empty strings for none). */
export function certificateInfo(cert: Partial<PeerCertificate> | undefined): CertificateInfo {
  return {
    subject: distinguishedName(cert?.subject),
    issuer: distinguishedName(cert?.issuer),
    validFrom: cert?.valid_from ?? '',
    validTo: cert?.valid_to ?? '',
    fingerprint256: cert?.fingerprint256 ?? '',
  };
}

/** Throws UntrustedCertificateError (TLS_UNTRUSTED, with the certificate) unless the peer is trusted. */
export function assertTrustedPeer(socket: TLSSocket, trust: TlsTrust | undefined): void {
  // getPeerCertificate() returns {} when there is no certificate (anonymous ciphers are off anyway).
  const info = certificateInfo(socket.getPeerCertificate());
  const verdict = judgeCertificate(
    {
      authorized: socket.authorized,
      // Typed as Error, but Node stores the OpenSSL code string there.
      authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
      fingerprint256: info.fingerprint256,
    },
    trust,
  );
  if (!verdict.trusted)
    throw new UntrustedCertificateError(info, UNTRUSTED_MESSAGE, { detail: verdict.reason });
}
