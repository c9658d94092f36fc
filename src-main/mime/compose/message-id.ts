import { randomBytes } from 'node:crypto';

/** Fallback right-hand side when the sender's address has no usable domain. */
const FALLBACK_DOMAIN = 'estafeta.invalid';

/**
 * A new Message-ID (RFC 5322 §3.6.4), without angle brackets: 128 random bits at the sender's
 * domain, unique worldwide without revealing the host name.
 */
export function newMessageId(senderAddress: string): string {
  const at = senderAddress.lastIndexOf('@');
  const domain = at === -1 ? '' : senderAddress.slice(at + 1).trim();
  const right = /^[A-Za-z0-9.-]{1,253}$/.test(domain) ? domain.toLowerCase() : FALLBACK_DOMAIN;
  return `${randomBytes(16).toString('hex')}@${right}`;
}
