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
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { rootCertificates } from 'node:tls';
import { judgePeer, untrustedCertificateError } from '../../domain/certificate-trust';
import type { TlsTrust } from '../../domain/security';
import { OUTGOING_SERVER } from './errors';

/** TLS 1.0 and 1.1 are deprecated (RFC 8996); RFC 8314 §4.1 asks for current TLS. */
const MIN_TLS_VERSION = 'TLSv1.2';

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

/** Throws UntrustedCertificateError (TLS_UNTRUSTED, with the certificate) unless the peer is trusted. */
export function assertTrustedPeer(socket: TLSSocket, trust: TlsTrust | undefined): void {
  const { certificate, verdict } = judgePeer(socket, trust);
  if (!verdict.trusted) throw untrustedCertificateError(certificate, verdict.reason, OUTGOING_SERVER);
}
