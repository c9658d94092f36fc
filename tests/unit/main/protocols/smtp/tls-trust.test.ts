import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { judgeCertificate, normalizeFingerprint } from '../../../../../src-main/domain/certificate-trust';
import { tlsConnectOptions } from '../../../../../src-main/protocols/smtp/tls-trust';

const FINGERPRINT =
  '75:1E:83:97:A4:24:33:42:8E:F2:49:E8:F2:07:90:FB:FE:E0:E1:2B:21:E7:E5:4F:2C:8C:20:86:EE:19:BA:A2';
const OTHER = '00:'.repeat(31) + '00';

const selfSigned = {
  authorized: false,
  authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  fingerprint256: FINGERPRINT,
};
const verified = { authorized: true, authorizationError: null, fingerprint256: FINGERPRINT };

describe('judgeCertificate', () => {
  it('trusts what the TLS stack verified (system CAs or extraCaPem, and the host name)', () => {
    expect(judgeCertificate(verified, undefined)).toEqual({ trusted: true });
  });

  it("refuses an unverified certificate with the TLS stack's reason", () => {
    expect(judgeCertificate(selfSigned, undefined)).toEqual({
      trusted: false,
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(judgeCertificate({ ...selfSigned, authorizationError: null }, {})).toEqual({
      trusted: false,
      reason: 'CERTIFICATE_NOT_VERIFIED',
    });
  });

  it('trusts the pinned certificate whatever its chain, written in any common form', () => {
    expect(judgeCertificate(selfSigned, { pinnedSha256: FINGERPRINT })).toEqual({ trusted: true });
    expect(
      judgeCertificate(selfSigned, { pinnedSha256: FINGERPRINT.replace(/:/g, '').toLowerCase() }),
    ).toEqual({
      trusted: true,
    });
  });

  it('refuses another unverified certificate when a pin is set', () => {
    expect(judgeCertificate(selfSigned, { pinnedSha256: OTHER })).toEqual({
      trusted: false,
      reason: 'PINNED_CERTIFICATE_MISMATCH',
    });
  });

  it('still trusts a verified certificate when the pin no longer matches (server moved to a CA)', () => {
    expect(judgeCertificate(verified, { pinnedSha256: OTHER })).toEqual({ trusted: true });
  });

  it('refuses a connection without a certificate, even with an empty pin', () => {
    expect(judgeCertificate({ ...verified, fingerprint256: '' }, { pinnedSha256: '' })).toEqual({
      trusted: false,
      reason: 'NO_PEER_CERTIFICATE',
    });
  });
});

describe('tlsConnectOptions', () => {
  it('keeps the system CAs when an extra CA is given, and requires TLS 1.2 or later', () => {
    const options = tlsConnectOptions({ extraCaPem: 'PEM' });
    expect(options.ca).toEqual([...rootCertificates, 'PEM']);
    expect(options.minVersion).toBe('TLSv1.2');
    // Enforced by assertTrustedPeer() before AUTH, so a pinned certificate can be accepted.
    expect(options.rejectUnauthorized).toBe(false);
  });

  it('leaves the system CAs alone without an extra CA', () => {
    expect(tlsConnectOptions(undefined)).not.toHaveProperty('ca');
  });
});

describe('normalizeFingerprint', () => {
  it('compares fingerprints regardless of case, colons and spaces', () => {
    expect(normalizeFingerprint('ab:cd ef')).toBe('ABCDEF');
  });
});
