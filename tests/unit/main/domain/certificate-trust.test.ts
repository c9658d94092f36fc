import { describe, expect, it } from 'vitest';
import { judgeCertificate, normalizeFingerprint } from '../../../../src-main/domain/certificate-trust';

const FP = 'AB:CD:EF:01';

describe('judgeCertificate', () => {
  it('trusts what the TLS stack verified when nothing is pinned', () => {
    expect(
      judgeCertificate({ authorized: true, authorizationError: null, fingerprint256: FP }, undefined),
    ).toEqual({
      trusted: true,
    });
    expect(
      judgeCertificate(
        { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', fingerprint256: FP },
        {},
      ),
    ).toEqual({ trusted: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('with a pin, accepts that certificate, and still what a CA vouches for (as POP3 and SMTP do)', () => {
    const selfSigned = {
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      fingerprint256: FP,
    };
    expect(judgeCertificate(selfSigned, { pinnedSha256: 'abcdef01' })).toEqual({ trusted: true });
    // The server moved to a CA-signed certificate: it keeps working.
    const caSigned = { authorized: true, authorizationError: null, fingerprint256: 'AB:CD:EF:02' };
    expect(judgeCertificate(caSigned, { pinnedSha256: FP })).toEqual({ trusted: true });
    // Another certificate nobody vouches for is refused, and said to be not the trusted one.
    const otherSelfSigned = { ...selfSigned, fingerprint256: 'AB:CD:EF:02' };
    expect(judgeCertificate(otherSelfSigned, { pinnedSha256: FP })).toEqual({
      trusted: false,
      reason: 'PINNED_CERTIFICATE_MISMATCH',
    });
    expect(judgeCertificate({ ...selfSigned, fingerprint256: '' }, { pinnedSha256: '' })).toEqual({
      trusted: false,
      reason: 'NO_PEER_CERTIFICATE',
    });
  });

  it('normalizes fingerprints written in any common form', () => {
    expect(normalizeFingerprint('ab:cd ef-01')).toBe('ABCDEF01');
  });
});
