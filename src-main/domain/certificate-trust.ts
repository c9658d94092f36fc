/**
 * The one trust decision for a server's certificate, shared by IMAP, POP3 and SMTP and kept pure so
 * that every branch is unit-tested:
 * - normally the TLS stack's verdict stands (a chain to the system CAs or `trust.extraCaPem`, and
 *   the host name per RFC 6125);
 * - a certificate the user trusted explicitly (`trust.pinnedSha256`, its SHA-256) is accepted at
 *   that server even if no CA signed it or its name or dates do not match.
 * A pin widens trust to that one certificate; a certificate that verifies normally is still
 * accepted, so a server that moves to a CA-signed certificate keeps working, while a different
 * certificate that does not verify is refused again (PINNED_CERTIFICATE_MISMATCH).
 */
import {
  summarizeCertificate,
  UntrustedCertificateError,
  type CertificateInfo,
  type PresentedCertificate,
} from './certificate';
import type { TlsTrust } from './security';

/** What the handshake established, as Node reports it. */
export interface HandshakeFacts {
  /** Node's `socket.authorized`: chain and host name both verified. */
  authorized: boolean;
  /** Node's `socket.authorizationError` (e.g. "DEPTH_ZERO_SELF_SIGNED_CERT"), when not authorized. */
  authorizationError: string | null;
  /** SHA-256 of the DER certificate, "AB:CD:..." ('' when the server presented none). */
  fingerprint256: string;
}

export type TrustVerdict = { trusted: true } | { trusted: false; reason: string };

/** "ab:cd" / "ABCD" / "AB CD" -> "ABCD", to compare fingerprints written in any common form. */
export const normalizeFingerprint = (value: string): string => value.replace(/[^0-9a-f]/gi, '').toUpperCase();

export function judgeCertificate(facts: HandshakeFacts, trust: TlsTrust | undefined): TrustVerdict {
  const presented = normalizeFingerprint(facts.fingerprint256);
  if (presented === '') return { trusted: false, reason: 'NO_PEER_CERTIFICATE' };
  const pin = normalizeFingerprint(trust?.pinnedSha256 ?? '');
  if (pin !== '' && pin === presented) return { trusted: true };
  if (facts.authorized) return { trusted: true };
  if (pin !== '') return { trusted: false, reason: 'PINNED_CERTIFICATE_MISMATCH' };
  return { trusted: false, reason: facts.authorizationError ?? 'CERTIFICATE_NOT_VERIFIED' };
}

/** What a TLS socket tells after its handshake (Node's TLSSocket has it). */
export interface TlsPeer {
  authorized: boolean;
  /** Node types it as Error but stores OpenSSL's code string there ("CERT_HAS_EXPIRED"). */
  authorizationError?: unknown;
  getPeerCertificate(): PresentedCertificate;
}

/** Node stores OpenSSL's code as a string; an Error (as its type says) gives its message. */
function reasonOf(error: unknown): string | null {
  if (error === undefined || error === null || error === '') return null;
  return error instanceof Error ? error.message : String(error);
}

/** The certificate a socket's server presented, and whether to trust it. */
export function judgePeer(
  socket: TlsPeer,
  trust: TlsTrust | undefined,
): { certificate: CertificateInfo; verdict: TrustVerdict } {
  // getPeerCertificate() gives {} when there is none (anonymous ciphers are off anyway).
  const certificate = summarizeCertificate(socket.getPeerCertificate());
  const facts: HandshakeFacts = {
    authorized: socket.authorized,
    authorizationError: socket.authorized ? null : reasonOf(socket.authorizationError),
    fingerprint256: certificate.fingerprint256,
  };
  return { certificate, verdict: judgeCertificate(facts, trust) };
}

/**
 * Why a certificate was refused, in words, for every protocol alike (`server` names which one:
 * "The outgoing mail server" for SMTP). `reason` is an OpenSSL/Node code or one of judgeCertificate's.
 */
export function untrustedCertificateMessage(reason: string, server = 'The server'): string {
  const certificate = `${server}'s security certificate`;
  switch (reason) {
    case 'CERT_HAS_EXPIRED':
      return `${certificate} has expired.`;
    case 'CERT_NOT_YET_VALID':
      return `${certificate} is not valid yet.`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return `${certificate} was issued for a different server name.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `${certificate} is self-signed, so it cannot be verified.`;
    case 'PINNED_CERTIFICATE_MISMATCH':
      return `${certificate} changed since you trusted it, and the new one cannot be verified.`;
    case 'NO_PEER_CERTIFICATE':
      return `${server} presented no security certificate.`;
    default:
      return `${certificate} is not trusted.`;
  }
}

/** The TLS_UNTRUSTED error for a refused certificate, worded by untrustedCertificateMessage. */
export function untrustedCertificateError(
  certificate: CertificateInfo,
  reason: string,
  server?: string,
): UntrustedCertificateError {
  return new UntrustedCertificateError(certificate, untrustedCertificateMessage(reason, server), {
    detail: reason,
  });
}
