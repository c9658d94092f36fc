// ImapSession against real Dovecot: the three security modes, certificate trust (refusal with the
// certificate shown, extra CA, pin, wrong pin) and the failure codes the account screen relies on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UntrustedCertificateError } from '../../../../src-main/domain/certificate';
import { MailError } from '../../../../src-main/domain/errors';
import type { ImapSession } from '../../../../src-main/protocols/imap';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { connectAs, fingerprintOf, rejectionOf } from './imap-test-kit';

let servers: MailServers;

beforeAll(async () => {
  servers = await startMailServers();
});

afterAll(async () => {
  await servers?.stop();
});

async function expectWorking(session: ImapSession): Promise<void> {
  try {
    expect(session.isUsable).toBe(true);
    await session.command((client) => client.noop());
  } finally {
    await session.logout();
  }
  expect(session.isUsable).toBe(false);
}

describe('ImapSession.connect', () => {
  it('connects with implicit TLS and reports the capabilities the sync engine chooses by', async () => {
    const session = await connectAs(servers, 'alice');
    expect(session.client.secureConnection).toBe(true);
    expect(session.capabilities).toMatchObject({
      condstore: true,
      qresync: true,
      idle: true,
      move: true,
      uidplus: true,
      specialUse: true,
      notify: true, // Dovecot 2.3 implements RFC 5465
    });
    await expectWorking(session);
  });

  it('upgrades with STARTTLS before sending the password', async () => {
    const session = await connectAs(servers, 'alice', { port: servers.ports.imap, security: 'starttls' });
    expect(session.client.secureConnection).toBe(true);
    await expectWorking(session);
  });

  it("connects in plain text only when the account says 'none'", async () => {
    const session = await connectAs(servers, 'alice', { port: servers.ports.imap, security: 'none' });
    expect(session.client.secureConnection).toBe(false);
    await expectWorking(session);
  });

  it('refuses the self-signed certificate without trust, and shows it to the user', async () => {
    const error = await rejectionOf(connectAs(servers, 'alice', { trust: undefined }));
    expect(error).toBeInstanceOf(UntrustedCertificateError);
    const untrusted = error as UntrustedCertificateError;
    expect(untrusted.code).toBe('TLS_UNTRUSTED');
    expect(untrusted.retryable).toBe(false);
    expect(untrusted.certificate.fingerprint256).toBe(fingerprintOf(servers.caPem));
    expect(untrusted.certificate.subject).toContain('CN=localhost');
    expect(untrusted.certificate.issuer).toContain('CN=localhost');
    expect(untrusted.certificate.validFrom).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(Date.parse(untrusted.certificate.validTo)).toBeGreaterThan(Date.now());
  });

  it('refuses the untrusted certificate after STARTTLS too', async () => {
    const error = await rejectionOf(
      connectAs(servers, 'alice', { port: servers.ports.imap, security: 'starttls', trust: undefined }),
    );
    expect(error).toBeInstanceOf(UntrustedCertificateError);
  });

  it('accepts the certificate pinned by its SHA-256 fingerprint', async () => {
    const pin = fingerprintOf(servers.caPem);
    await expectWorking(await connectAs(servers, 'alice', { trust: { pinnedSha256: pin } }));
  });

  it('refuses another certificate than the pinned one when no CA vouches for it, and accepts one a CA signs', async () => {
    const wrongPin = fingerprintOf(servers.caPem).replace(/^../, (hex) => (hex === '00' ? '01' : '00'));
    const error = await rejectionOf(connectAs(servers, 'alice', { trust: { pinnedSha256: wrongPin } }));
    expect(error).toBeInstanceOf(UntrustedCertificateError);
    expect((error as UntrustedCertificateError).detail).toBe('PINNED_CERTIFICATE_MISMATCH');
    // The same pin for a server whose certificate now verifies (it moved to a CA-signed one).
    await expectWorking(
      await connectAs(servers, 'alice', { trust: { pinnedSha256: wrongPin, extraCaPem: servers.caPem } }),
    );
  });

  it('reports a wrong password as AUTH_FAILED with the server words and without the password', async () => {
    const wrong = 'not-the-secret-42';
    const error = await rejectionOf(connectAs(servers, 'alice', { auth: { password: wrong } }));
    expect(error).toBeInstanceOf(MailError);
    const mailError = error as MailError;
    expect(mailError.code).toBe('AUTH_FAILED');
    expect(mailError.retryable).toBe(false);
    expect(mailError.detail).toMatch(/authentication failed/i);
    expect(`${mailError.message} ${mailError.detail}`).not.toContain(wrong);
  });

  it('reports an unresolvable host as DNS_FAILED', async () => {
    const error = await rejectionOf(connectAs(servers, 'alice', { host: 'nonexistent.invalid' }));
    expect((error as MailError).code).toBe('DNS_FAILED');
  });

  it('tells the engine when the server drops the connection', async () => {
    const session = await connectAs(servers, 'bob');
    const closed = new Promise((resolve) => session.onClose(resolve));
    await servers.doveadm(['kick', 'bob']);
    await expect(closed).resolves.toMatchObject({ byClient: false });
    expect(session.isUsable).toBe(false);
  });

  // Last: it stops Dovecot for the rest of this file.
  it('reports a stopped server as CONNECT_FAILED', async () => {
    await servers.stopDovecot();
    const error = await rejectionOf(connectAs(servers, 'alice'));
    expect((error as MailError).code).toBe('CONNECT_FAILED');
    expect((error as MailError).retryable).toBe(true);
  });
});
