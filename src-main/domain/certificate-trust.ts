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
