import { describe, expect, it } from 'vitest';
import { challengeOf, createPkcePair, createState } from '../../../../../src-main/accounts/oauth2';

describe('PKCE (RFC 7636)', () => {
  it('computes the S256 challenge of RFC 7636 Appendix B', () => {
    expect(challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a fresh 43-character verifier each time, and its matching challenge', () => {
    const first = createPkcePair();
    const second = createPkcePair();
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(first).toEqual({
      verifier: first.verifier,
      challenge: challengeOf(first.verifier),
      method: 'S256',
    });
    expect(createState()).not.toBe(createState());
  });

  it('refuses a verifier outside RFC 7636 §4.1', () => {
    expect(() => challengeOf('too-short')).toThrow();
    expect(() => challengeOf('a'.repeat(129))).toThrow();
    expect(() => challengeOf(`${'a'.repeat(42)} `)).toThrow();
  });
});
