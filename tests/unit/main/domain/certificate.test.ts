// What every protocol shows and says about a server certificate: the summary the user decides
// on, the verdict from what a TLS socket reports, and the words of a refusal.
import { describe, expect, it } from 'vitest';
import { summarizeCertificate } from '../../../../src-main/domain/certificate';
import {
  judgePeer,
  untrustedCertificateMessage,
  type TlsPeer,
} from '../../../../src-main/domain/certificate-trust';

const FP = 'AB:CD:EF:01';
const presented = {
  subject: { CN: 'localhost', O: 'Test' },
  issuer: { CN: 'Test CA', OU: ['a', 'b'] },
  valid_from: 'Jan  1 00:00:00 2024 GMT',
  valid_to: 'Jan  1 00:00:00 2034 GMT',
  fingerprint256: FP,
};

const peer = (over: Partial<TlsPeer>): TlsPeer => ({
  authorized: false,
  authorizationError: new Error('DEPTH_ZERO_SELF_SIGNED_CERT'),
  getPeerCertificate: () => presented,
  ...over,
});

describe('summarizeCertificate', () => {
  it('formats names as distinguished names and dates as ISO 8601', () => {
    expect(summarizeCertificate(presented)).toEqual({
      subject: 'CN=localhost, O=Test',
      issuer: 'CN=Test CA, OU=a+b',
      validFrom: '2024-01-01T00:00:00.000Z',
      validTo: '2034-01-01T00:00:00.000Z',
      fingerprint256: FP,
    });
    expect(summarizeCertificate(undefined).fingerprint256).toBe('');
    expect(summarizeCertificate({ valid_to: 'someday' }).validTo).toBe('someday');
  });
});

describe('judgePeer', () => {
  it("takes OpenSSL's reason from the socket and the fingerprint from its certificate", () => {
    const { certificate, verdict } = judgePeer(peer({}), undefined);
    expect(certificate.fingerprint256).toBe(FP);
    // Node keeps the OpenSSL code as a string in a field typed Error; either form gives the code.
    expect(verdict).toEqual({ trusted: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(judgePeer(peer({ authorizationError: 'CERT_HAS_EXPIRED' }), undefined).verdict).toEqual({
      trusted: false,
      reason: 'CERT_HAS_EXPIRED',
    });
  });

  it('trusts a verified socket, a pinned certificate, and refuses a socket that presented none', () => {
    expect(judgePeer(peer({ authorized: true, authorizationError: null }), undefined).verdict.trusted).toBe(
      true,
    );
    expect(judgePeer(peer({}), { pinnedSha256: 'abcdef01' }).verdict.trusted).toBe(true);
    expect(judgePeer(peer({ getPeerCertificate: () => ({}) }), undefined).verdict).toEqual({
      trusted: false,
      reason: 'NO_PEER_CERTIFICATE',
    });
  });
});

describe('untrustedCertificateMessage', () => {
  it('says why in words, naming the server it is about', () => {
    expect(untrustedCertificateMessage('CERT_HAS_EXPIRED')).toBe(
      "The server's security certificate has expired.",
    );
    expect(untrustedCertificateMessage('ERR_TLS_CERT_ALTNAME_INVALID', 'The outgoing mail server')).toBe(
      "The outgoing mail server's security certificate was issued for a different server name.",
    );
    expect(untrustedCertificateMessage('DEPTH_ZERO_SELF_SIGNED_CERT')).toMatch(/self-signed/);
    expect(untrustedCertificateMessage('PINNED_CERTIFICATE_MISMATCH')).toMatch(
      /changed since you trusted it/,
    );
    expect(untrustedCertificateMessage('NO_PEER_CERTIFICATE')).toBe(
      'The server presented no security certificate.',
    );
    expect(untrustedCertificateMessage('SOMETHING_ELSE')).toBe(
      "The server's security certificate is not trusted.",
    );
  });
});
