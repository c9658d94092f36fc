import { createHash, randomBytes } from 'node:crypto';

/**
 * Proof Key for Code Exchange (RFC 7636): the app keeps a random verifier and sends only its
 * SHA-256 (the challenge) with the authorization request, so an authorization code intercepted on
 * its way to the loopback redirect is useless without the verifier.
 */

/** 32 random bytes -> 43 base64url characters, RFC 7636 §4.1's recommendation. */
const VERIFIER_BYTES = 32;
/** RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), without padding. */
export function challengeOf(verifier: string): string {
  if (!VERIFIER_PATTERN.test(verifier)) throw new Error('PKCE verifier is not 43-128 unreserved characters');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkcePair(random: (size: number) => Buffer = randomBytes): PkcePair {
  const verifier = random(VERIFIER_BYTES).toString('base64url');
  return { verifier, challenge: challengeOf(verifier), method: 'S256' };
}

/** An unguessable `state` value (RFC 6749 §10.12) binding the redirect to this request. */
export function createState(random: (size: number) => Buffer = randomBytes): string {
  return random(VERIFIER_BYTES).toString('base64url');
}
