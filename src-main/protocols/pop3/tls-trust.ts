/**
 * How a POP3 connection decides whether to trust the server's certificate:
 * - normally by Node's CA list plus `trust.extraCaPem`, with the host name checked;
 * - or, when the user has trusted one exact certificate (`trust.pinnedSha256`), by that certificate
 *   being presented, even if no CA signed it or its name or dates do not match.
 * The decision is the one every protocol makes (domain/certificate-trust.ts).
 *
 * Node is told not to reject (rejectUnauthorized: false) only so that the certificate can be
 * inspected; the decision is made here on 'secureConnect', before a single byte is read or written.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import {
  checkServerIdentity,
  rootCertificates,
  type ConnectionOptions,
  type PeerCertificate,
  type TLSSocket,
} from 'node:tls';
import { judgeCertificate } from '../../domain/certificate-trust';
import type { TlsTrust } from '../../domain/security';
import { UntrustedCertificateError, type CertificateSummary } from './errors';

export interface TlsEndpoint {
  host: string;
  /** The name the certificate must carry; defaults to `host`. */
  servername?: string;
  trust?: TlsTrust;
}

/** Options for tls.connect (add `host`/`port` or `socket`). */
export function tlsConnectOptions(endpoint: TlsEndpoint): ConnectionOptions {
  const verifyName = endpoint.servername ?? endpoint.host;
  const extraCa = endpoint.trust?.extraCaPem;
  return {
    host: endpoint.host,
    // RFC 6066 §3: SNI carries host names only, never IP literals.
    ...(isIP(verifyName) === 0 ? { servername: verifyName } : {}),
    // Passing `ca` replaces Node's list, so the extra CA is added to it rather than given alone.
    ...(extraCa !== undefined ? { ca: [...rootCertificates, extraCa] } : {}),
    minVersion: 'TLSv1.2',
    rejectUnauthorized: false,
    checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(verifyName, cert),
  };
}

/** Throws UntrustedCertificateError unless the handshake's certificate is trusted (see top of file). */
export function verifyPeer(socket: TLSSocket, trust: TlsTrust | undefined): void {
  const cert = socket.getPeerCertificate();
  // An empty object means no certificate at all (anonymous ciphers are off by default, but be sure).
  if (!('raw' in cert) || !Buffer.isBuffer(cert.raw)) {
    throw new UntrustedCertificateError(emptySummary(), 'NO_PEER_CERTIFICATE');
  }
  const verdict = judgeCertificate(
    {
      authorized: socket.authorized,
      authorizationError: socket.authorized ? null : String(socket.authorizationError ?? 'CERT_UNTRUSTED'),
      fingerprint256: sha256Fingerprint(cert.raw),
    },
    trust,
  );
  if (!verdict.trusted) throw new UntrustedCertificateError(summarizeCertificate(cert), verdict.reason);
}

/** SHA-256 of DER bytes as uppercase hex pairs joined by ":" (the format of Node's `fingerprint256`). */
export function sha256Fingerprint(der: Buffer): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

export function summarizeCertificate(cert: PeerCertificate): CertificateSummary {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: sha256Fingerprint(cert.raw),
  };
}

function emptySummary(): CertificateSummary {
  return { subject: '', issuer: '', validFrom: '', validTo: '', fingerprint256: '' };
}

/** Node's certificate names are objects of attribute -> value (or values when repeated). */
function distinguishedName(name: object | undefined): string {
  if (name === undefined) return '';
  const parts: string[] = [];
  for (const [attribute, value] of Object.entries(name)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const item of values) parts.push(`${attribute}=${String(item)}`);
  }
  return parts.join(', ');
}

function isoDate(value: string | undefined): string {
  if (value === undefined) return '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}
