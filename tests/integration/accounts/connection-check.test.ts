// "Connect" against real Dovecot and Postfix: every failure the user can meet is named exactly
// (wrong password, server stopped, certificate not trusted and then trusted, unknown host, no
// answer), for IMAP, POP3 and SMTP alike, and the password never appears in what is reported.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../src-main/accounts/account-config';
import { CertificatePins } from '../../../src-main/accounts/certificate-pins';
import type { TlsTrust } from '../../../src-main/domain/security';
import { ConnectionChecker, type ServerCheckOutcome } from '../../../src-main/sync/connection-check';
import { startMailServers, type MailServers } from '../../support/mail-servers';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

let servers: MailServers;
let dataDir: TempDir;

beforeAll(async () => {
  [servers, dataDir] = await Promise.all([startMailServers(), makeTempDir('estafeta-check-')]);
});

afterAll(async () => {
  await servers?.stop();
  await dataDir?.remove();
});

type Protocol = 'imap' | 'pop3';

/** alice with implicit TLS on both sides, unless a test says otherwise. */
function configFor(
  protocol: Protocol,
  overrides: Partial<Pick<AccountConfig, 'incoming' | 'outgoing'>> = {},
) {
  return {
    incoming: {
      protocol,
      host: servers.host,
      port: protocol === 'imap' ? servers.ports.imaps : servers.ports.pop3s,
      security: 'tls' as const,
      username: servers.address('alice'),
      authMethod: 'password' as const,
      ...overrides.incoming,
    },
    outgoing: {
      host: servers.host,
      port: servers.ports.submission,
      security: 'starttls' as const,
      username: servers.address('alice'),
      authMethod: 'password' as const,
      ...overrides.outgoing,
    },
  };
}

/** Trusts the fixture's self-signed certificate as a CA, so tests about other failures get past TLS. */
function trustingFixture(): ConnectionChecker {
  const trust: TlsTrust = { extraCaPem: servers.caPem };
  return new ConnectionChecker({ trustFor: async () => trust });
}

function failure(outcome: ServerCheckOutcome) {
  if (outcome.ok) throw new Error(`expected ${outcome.server.role} to fail`);
  return outcome;
}

describe.each<Protocol>(['imap', 'pop3'])('Connect with %s', (protocol) => {
  it('logs in to both servers with the right password', async () => {
    const result = await trustingFixture().check(configFor(protocol), servers.password);
    expect(result).toMatchObject({ ok: true, incoming: { ok: true }, outgoing: { ok: true } });
  });

  it('says "wrong password" for each server and quotes what the server said', async () => {
    const wrong = 'not-the-Pa55word';
    const result = await trustingFixture().check(configFor(protocol), wrong);
    expect(result.ok).toBe(false);
    const incoming = failure(result.incoming);
    const outgoing = failure(result.outgoing);
    expect(incoming).toMatchObject({ kind: 'auth', code: 'AUTH_FAILED' });
    expect(outgoing).toMatchObject({ kind: 'auth', code: 'AUTH_FAILED' });
    expect(outgoing.serverSays).toMatch(/535/);
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('refuses the self-signed certificate with its details, then accepts it once trusted for that server', async () => {
    // A pins file of its own: what the IMAP case trusted must not help the POP3 case.
    const pins = new CertificatePins(`${dataDir.path}/${protocol}`);
    const checker = new ConnectionChecker({ trustFor: (host, port) => pins.trustFor(host, port) });
    const config = configFor(protocol);

    const first = await checker.check(config, servers.password);
    const incoming = failure(first.incoming);
    const outgoing = failure(first.outgoing);
    for (const refused of [incoming, outgoing]) {
      expect(refused.kind).toBe('certificate');
      expect(refused.certificate).toMatchObject({
        subject: expect.stringContaining('CN=localhost'),
        issuer: expect.stringContaining('O=estafeta-test'),
        fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      });
      expect(Date.parse(refused.certificate?.validTo ?? '')).toBeGreaterThan(Date.now());
    }

    // Trusting the incoming server's certificate trusts it there only: SMTP still refuses it.
    const seen = checker.refusedCertificate(
      servers.host,
      config.incoming.port,
      incoming.certificate?.fingerprint256 ?? '',
    );
    expect(seen).not.toBeNull();
    await pins.pin(servers.host, config.incoming.port, seen!);
    const second = await checker.check(config, servers.password);
    expect(second.incoming.ok).toBe(true);
    expect(failure(second.outgoing).kind).toBe('certificate');

    await pins.pin(servers.host, config.outgoing.port, outgoing.certificate!);
    const third = await checker.check(config, servers.password);
    expect(third).toMatchObject({ ok: true });
  });

  it('says "name not found" for an unknown host', async () => {
    const result = await trustingFixture().check(
      configFor(protocol, {
        incoming: { ...configFor(protocol).incoming, host: 'nonexistent.invalid' },
        outgoing: { ...configFor(protocol).outgoing, host: 'nonexistent.invalid' },
      }),
      servers.password,
    );
    expect(failure(result.incoming)).toMatchObject({ kind: 'dns', code: 'DNS_FAILED' });
    expect(failure(result.outgoing)).toMatchObject({ kind: 'dns', code: 'DNS_FAILED' });
  });
});

describe('Connect with a server stopped', () => {
  it('says "connection refused" for the stopped server and still checks the other', async () => {
    await servers.stopDovecot();
    try {
      const result = await trustingFixture().check(configFor('imap'), servers.password);
      expect(failure(result.incoming)).toMatchObject({ kind: 'refused', code: 'CONNECT_FAILED' });
      // Postfix asks Dovecot to check passwords (smtpd_sasl_type = dovecot), so SMTP AUTH fails too,
      // and the user is told what the server said rather than "wrong password".
      expect(failure(result.outgoing)).toMatchObject({
        kind: 'server',
        serverSays: expect.stringMatching(/^454/),
      });
      const pop3 = await trustingFixture().check(configFor('pop3'), servers.password);
      expect(failure(pop3.incoming)).toMatchObject({ kind: 'refused', code: 'CONNECT_FAILED' });
    } finally {
      await servers.startDovecot();
    }
    await servers.stopPostfix();
    try {
      const result = await trustingFixture().check(configFor('imap'), servers.password);
      expect(result.incoming.ok).toBe(true);
      expect(failure(result.outgoing)).toMatchObject({ kind: 'refused', code: 'CONNECT_FAILED' });
    } finally {
      await servers.startPostfix();
    }
  });
});

describe('Connect with a silent server', () => {
  let silent: Server;
  let port: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never says a word: no greeting, no TLS handshake.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up at its deadline and says the server did not answer', async () => {
    const checker = new ConnectionChecker({ trustFor: async () => undefined, deadlineMs: 700 });
    const started = Date.now();
    const config = configFor('imap');
    const result = await checker.check(
      {
        incoming: { ...config.incoming, port },
        outgoing: { ...config.outgoing, port },
      },
      servers.password,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure(result.incoming)).toMatchObject({ kind: 'timeout', code: 'TIMEOUT' });
    expect(failure(result.outgoing)).toMatchObject({ kind: 'timeout', code: 'TIMEOUT' });
  });
});
