import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailError, type ErrorCode } from '../../../../../src-main/domain/errors';
import {
  Pop3Client,
  UntrustedCertificateError,
  type Pop3ConnectOptions,
} from '../../../../../src-main/protocols/pop3';
import {
  generateSelfSignedIdentity,
  startFakePop3Server,
  type FakePop3Options,
  type FakePop3Server,
  type TlsIdentity,
} from '../../../../support/fake-pop3-server';
import { makeTempDir, type TempDir } from '../../../../support/temp-dir';

const USER = 'alice';
const PASSWORD = 'correct horse';
const TEST_TIMEOUTS = {
  connectMs: 3_000,
  greetingMs: 3_000,
  tlsHandshakeMs: 3_000,
  commandMs: 3_000,
  idleMs: 3_000,
};
const message = Buffer.from('Subject: over TLS\r\n\r\n\xe9\x00.\r\n..\r\n', 'latin1');

let tempDir: TempDir;
let identity: TlsIdentity;
let fingerprint: string;
const servers: FakePop3Server[] = [];
const clients: Pop3Client[] = [];

beforeAll(async () => {
  tempDir = await makeTempDir('estafeta-pop3-tls-');
  identity = await generateSelfSignedIdentity(tempDir.path);
  fingerprint = new X509Certificate(identity.cert).fingerprint256;
}, 30_000);

afterAll(async () => {
  await tempDir.remove();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(options: FakePop3Options): Promise<FakePop3Server> {
  const server = await startFakePop3Server({
    username: USER,
    password: PASSWORD,
    messages: [message],
    ...options,
  });
  servers.push(server);
  return server;
}

async function connect(server: FakePop3Server, overrides: Partial<Pop3ConnectOptions>): Promise<Pop3Client> {
  const client = await Pop3Client.connect({
    host: server.host,
    port: server.port,
    security: 'tls',
    username: USER,
    password: PASSWORD,
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  });
  clients.push(client);
  return client;
}

async function rejection(promise: Promise<unknown>, code: ErrorCode): Promise<MailError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MailError);
  const mailError = error as MailError;
  expect(mailError.code, `${mailError.message} (${mailError.detail ?? ''})`).toBe(code);
  return mailError;
}

/** No credential of any kind reached the server. */
function expectNoCredentialsSent(server: FakePop3Server): void {
  const commands = server.sessions.flatMap((session) => session.commands);
  expect(commands.some((line) => /^(USER|PASS|APOP|AUTH)\b/i.test(line))).toBe(false);
}

describe('Pop3Client implicit TLS', { timeout: 15_000 }, () => {
  it('connects when the certificate is trusted through extraCaPem, and reads mail over TLS', async () => {
    const server = await startServer({ tls: { mode: 'implicit', identity } });
    const client = await connect(server, { trust: { extraCaPem: identity.cert } });
    expect(client.isSecure).toBe(true);
    expect((await client.retr(1)).equals(message)).toBe(true);
  });

  it('rejects a self-signed certificate with TLS_UNTRUSTED carrying what the UI needs, sending nothing', async () => {
    const server = await startServer({ tls: { mode: 'implicit', identity } });
    const error = await rejection(connect(server, {}), 'TLS_UNTRUSTED');
    expect(error).toBeInstanceOf(UntrustedCertificateError);
    const untrusted = error as UntrustedCertificateError;
    expect(untrusted.certificate.fingerprint256).toBe(fingerprint);
    expect(untrusted.certificate.subject).toBe('CN=localhost');
    expect(untrusted.certificate.issuer).toBe('CN=localhost');
    const x509 = new X509Certificate(identity.cert);
    expect(untrusted.certificate.validFrom).toBe(new Date(x509.validFrom).toISOString());
    expect(untrusted.certificate.validTo).toBe(new Date(x509.validTo).toISOString());
    expect(untrusted.reason).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(untrusted.retryable).toBe(false);
    expect(untrusted.detail).toContain(fingerprint);
    expectNoCredentialsSent(server);
  });

  it('accepts exactly the pinned certificate (any case or separators) and no other', async () => {
    const server = await startServer({ tls: { mode: 'implicit', identity } });
    const pinned = await connect(server, { trust: { pinnedSha256: fingerprint.toLowerCase() } });
    expect((await pinned.retr(1)).equals(message)).toBe(true);

    const otherPin = `${fingerprint.slice(0, -2)}${fingerprint.endsWith('00') ? '01' : '00'}`;
    const error = await rejection(connect(server, { trust: { pinnedSha256: otherPin } }), 'TLS_UNTRUSTED');
    expect((error as UntrustedCertificateError).certificate.fingerprint256).toBe(fingerprint);
    expect((error as UntrustedCertificateError).reason).toBe('PINNED_CERTIFICATE_MISMATCH');
    expect((error as UntrustedCertificateError).message).toContain('changed since you trusted it');
  });

  it('checks the host name: a trusted certificate for another name is TLS_UNTRUSTED unless pinned', async () => {
    const server = await startServer({ tls: { mode: 'implicit', identity } });
    const error = await rejection(
      connect(server, { servername: 'mail.example.org', trust: { extraCaPem: identity.cert } }),
      'TLS_UNTRUSTED',
    );
    expect((error as UntrustedCertificateError).reason).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const pinned = await connect(server, {
      servername: 'mail.example.org',
      trust: { pinnedSha256: fingerprint },
    });
    expect(pinned.isSecure).toBe(true);
  });

  it('reports TLS_FAILED when the server does not speak TLS on that port', async () => {
    const server = await startServer({});
    await rejection(connect(server, {}), 'TLS_FAILED');
    expectNoCredentialsSent(server);
  });
});

describe('Pop3Client STLS (RFC 2595)', { timeout: 15_000 }, () => {
  it('upgrades with STLS, re-reads CAPA over TLS, then signs in', async () => {
    const server = await startServer({ tls: { mode: 'stls', identity } });
    const client = await connect(server, { security: 'starttls', trust: { extraCaPem: identity.cert } });
    expect(client.isSecure).toBe(true);
    expect(client.capabilities.hasStls).toBe(false); // the list read after TLS, which no longer offers STLS
    const commands = server.sessions[0]?.commands.map((line) => line.split(' ')[0]);
    expect(commands).toEqual(['CAPA', 'STLS', 'CAPA', 'AUTH', 'CAPA']);
    expect(server.sessions[0]?.isSecure).toBe(true);
    expect((await client.retr(1)).equals(message)).toBe(true);
  });

  it('refuses to go on in plain text when STLS is not offered (TLS_FAILED, no credentials sent)', async () => {
    const server = await startServer({});
    const error = await rejection(connect(server, { security: 'starttls' }), 'TLS_FAILED');
    expect(error.message).toBe('The mail server does not offer a secure connection (STLS).');
    expect(server.sessions[0]?.commands).toEqual(['CAPA']);
  });

  it('refuses when the server has no CAPA at all, since STLS cannot have been offered', async () => {
    const server = await startServer({ capabilities: null, tls: { mode: 'stls', identity } });
    await rejection(connect(server, { security: 'starttls' }), 'TLS_FAILED');
    expectNoCredentialsSent(server);
  });

  it('maps -ERR to STLS to TLS_FAILED', async () => {
    const server = await startServer({
      tls: { mode: 'stls', identity },
      failOn: { STLS: 'TLS not available now' },
    });
    const error = await rejection(connect(server, { security: 'starttls' }), 'TLS_FAILED');
    expect(error.detail).toBe('TLS not available now');
    expectNoCredentialsSent(server);
  });

  it('fails when plain bytes follow the STLS +OK (response injection), sending no credentials', async () => {
    const server = await startServer({
      tls: { mode: 'stls', identity },
      injectAfterStls: '+OK injected\r\n',
    });
    await rejection(
      connect(server, { security: 'starttls', trust: { extraCaPem: identity.cert } }),
      'TLS_FAILED',
    );
    expectNoCredentialsSent(server);
  });

  it('rejects an untrusted certificate after STLS with TLS_UNTRUSTED and its fingerprint', async () => {
    const server = await startServer({ tls: { mode: 'stls', identity } });
    const error = await rejection(connect(server, { security: 'starttls' }), 'TLS_UNTRUSTED');
    expect((error as UntrustedCertificateError).certificate.fingerprint256).toBe(fingerprint);
    expectNoCredentialsSent(server);
    const pinned = await connect(server, { security: 'starttls', trust: { pinnedSha256: fingerprint } });
    expect(pinned.isSecure).toBe(true);
  });
});
