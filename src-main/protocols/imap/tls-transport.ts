import type { ImapTransport, ImapTransportOptions, ImapTransportSocket } from 'imapflow';
import net from 'node:net';
import tls from 'node:tls';
import type { TlsTrust } from '../../domain/security';
import { judgePeer, untrustedCertificateError } from '../../domain/certificate-trust';

/**
 * The sockets under imapflow (its `transport` option), so that the certificate decision is ours:
 * Node checks `checkServerIdentity` only after the chain verified, which leaves no hook to accept
 * a pinned self-signed certificate, and its chain errors carry no certificate to show the user.
 *
 * So the handshake runs with Node's verification on but not enforced (`rejectUnauthorized:
 * false`), and the socket is handed to imapflow (`onConnect` / `onSecure`) only after
 * judgeCertificate() accepted it. Until then imapflow has not piped the socket into its parser
 * and has sent nothing, so a refused server never sees a byte of IMAP, let alone a credential.
 */

/** TLS 1.0/1.1 are deprecated (RFC 8996). */
const MIN_TLS_VERSION = 'TLSv1.2';

function tlsOptions(options: ImapTransportOptions, trust: TlsTrust | undefined): tls.ConnectionOptions {
  return {
    host: options.host,
    port: options.port,
    servername: options.servername,
    // `ca` replaces the system store, so the system roots are listed next to the extra CA.
    ca: trust?.extraCaPem ? [...tls.rootCertificates, trust.extraCaPem] : undefined,
    minVersion: MIN_TLS_VERSION,
    // Verification still runs (socket.authorized / authorizationError); verifyThenHandOver() enforces it.
    rejectUnauthorized: false,
  };
}

function verifyThenHandOver(socket: tls.TLSSocket, trust: TlsTrust | undefined, handOver: () => void): void {
  socket.once('secureConnect', () => {
    const { certificate, verdict } = judgePeer(socket, trust);
    if (verdict.trusted) {
      handOver();
      return;
    }
    socket.destroy(untrustedCertificateError(certificate, verdict.reason));
  });
}

export function createVerifyingTransport(trust: TlsTrust | undefined): ImapTransport {
  return {
    connect(options, onConnect): ImapTransportSocket {
      if (!options.secure) return net.connect({ host: options.host, port: options.port }, onConnect);
      const socket = tls.connect(tlsOptions(options, trust));
      verifyThenHandOver(socket, trust, onConnect);
      return socket;
    },
    // RFC 3501 §6.2.1 / RFC 9051 §6.2.1: STARTTLS upgrades the same TCP connection.
    upgrade(plain, options, onSecure): ImapTransportSocket {
      const socket = tls.connect({ ...tlsOptions(options, trust), socket: plain });
      verifyThenHandOver(socket, trust, onSecure);
      return socket;
    },
  };
}
