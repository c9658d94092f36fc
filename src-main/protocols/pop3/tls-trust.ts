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
import { isIP } from 'node:net';
import {
  checkServerIdentity,
  rootCertificates,
  type ConnectionOptions,
  type PeerCertificate,
  type TLSSocket,
} from 'node:tls';
import { judgePeer } from '../../domain/certificate-trust';
import type { TlsTrust } from '../../domain/security';
import { UntrustedCertificateError } from './errors';

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
  const { certificate, verdict } = judgePeer(socket, trust);
  if (!verdict.trusted) throw new UntrustedCertificateError(certificate, verdict.reason);
}
