import { describe, expect, it } from 'vitest';
import { UntrustedCertificateError, type CertificateInfo } from '../../../../../src-main/domain/certificate';
import { MailError } from '../../../../../src-main/domain/errors';
import type { TlsTrust } from '../../../../../src-main/domain/security';
import {
  ConnectionChecker,
  failureOutcome,
  type CheckedServer,
  type LoginTarget,
  type ServerLogins,
} from '../../../../../src-main/sync/connection-check';

const PASSWORD = 'Checker-Pw-1234';
const CERTIFICATE: CertificateInfo = {
  subject: 'CN=localhost',
  issuer: 'CN=localhost',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2036-01-01T00:00:00.000Z',
  fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':'),
};
const SERVER: CheckedServer = {
  role: 'incoming',
  protocol: 'imap',
  host: 'mail.example.test',
  port: 993,
  security: 'tls',
};

const config = {
  incoming: {
    protocol: 'imap' as const,
    host: 'mail.example.test',
    port: 993,
    security: 'tls' as const,
    username: 'ana',
    authMethod: 'password' as const,
  },
  outgoing: {
    host: 'smtp.example.test',
    port: 587,
    security: 'starttls' as const,
    username: 'ana',
    authMethod: 'password' as const,
  },
};

function logins(overrides: Partial<ServerLogins>): ServerLogins {
  const ok = async (): Promise<void> => undefined;
  return { imap: ok, pop3: ok, smtp: ok, ...overrides };
}

describe('ConnectionChecker', () => {
  it('logs in to both servers at the same time, each with its own trust', async () => {
    const started: string[] = [];
    const trusts: Array<[string, TlsTrust | undefined]> = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const record = async (target: LoginTarget): Promise<void> => {
      started.push(target.host);
      trusts.push([target.host, target.trust]);
      await gate;
    };
    const checker = new ConnectionChecker({
      trustFor: async (host, port) => (port === 993 ? { pinnedSha256: host } : undefined),
      logins: logins({ imap: record, smtp: record }),
    });
    const pending = checker.check(config, PASSWORD);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started.sort()).toEqual(['mail.example.test', 'smtp.example.test']);
    release();
    expect(await pending).toMatchObject({ ok: true, incoming: { ok: true }, outgoing: { ok: true } });
    expect(trusts).toContainEqual(['mail.example.test', { pinnedSha256: 'mail.example.test' }]);
    expect(trusts).toContainEqual(['smtp.example.test', undefined]);
  });

  it('stops waiting at the deadline, tells the login to give up, and reports a timeout', async () => {
    let signal: AbortSignal | null = null;
    const checker = new ConnectionChecker({
      trustFor: async () => undefined,
      deadlineMs: 50,
      logins: logins({
        imap: (target) => {
          signal = target.signal;
          return new Promise(() => undefined);
        },
      }),
    });
    const result = await checker.check(config, PASSWORD);
    expect(result).toMatchObject({
      ok: false,
      incoming: { ok: false, kind: 'timeout' },
      outgoing: { ok: true },
    });
    expect(signal!.aborted).toBe(true);
  });

  it('remembers a refused certificate so that only it can be trusted, for that server', async () => {
    const checker = new ConnectionChecker({
      trustFor: async () => undefined,
      logins: logins({
        imap: async () => {
          throw new UntrustedCertificateError(CERTIFICATE, 'not trusted', {
            detail: 'DEPTH_ZERO_SELF_SIGNED_CERT',
          });
        },
      }),
    });
    const result = await checker.check(config, PASSWORD);
    expect(result.incoming).toMatchObject({
      kind: 'certificate',
      certificate: CERTIFICATE,
      detail: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const lowercase = CERTIFICATE.fingerprint256.toLowerCase().replace(/:/g, '');
    expect(checker.refusedCertificate('MAIL.example.test', 993, lowercase)).toEqual(CERTIFICATE);
    expect(checker.refusedCertificate('mail.example.test', 993, 'CD'.repeat(32))).toBeNull();
    expect(checker.refusedCertificate('smtp.example.test', 587, CERTIFICATE.fingerprint256)).toBeNull();
  });
});

describe('failureOutcome', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:993'), { code: 'ECONNREFUSED' });

  it('tells a refused connection from an unreachable host', () => {
    const byDetail = new MailError('CONNECT_FAILED', 'Could not connect.', { detail: 'ECONNREFUSED' });
    const byCause = new MailError('CONNECT_FAILED', 'Could not connect.', { cause: refused });
    const unreachable = new MailError('CONNECT_FAILED', 'Could not connect.', { detail: 'EHOSTUNREACH' });
    expect(failureOutcome(SERVER, byDetail, PASSWORD)).toMatchObject({
      kind: 'refused',
      detail: 'ECONNREFUSED',
    });
    expect(failureOutcome(SERVER, byCause, PASSWORD)).toMatchObject({ kind: 'refused' });
    expect(failureOutcome(SERVER, unreachable, PASSWORD)).toMatchObject({ kind: 'unreachable' });
  });

  it('quotes the server for refusals and removes the password from anything it echoed', () => {
    const echoed = new MailError('AUTH_FAILED', `Login failed for ${PASSWORD}`, {
      detail: `NO bad password ${PASSWORD}`,
    });
    const outcome = failureOutcome(SERVER, echoed, PASSWORD);
    expect(outcome).toMatchObject({ kind: 'auth', serverSays: 'NO bad password [redacted]' });
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
    expect(
      failureOutcome(SERVER, new MailError('SERVER_BUSY', 'Busy', { detail: '454 try later' }), PASSWORD),
    ).toMatchObject({
      kind: 'server',
      serverSays: '454 try later',
    });
  });

  it('names every other kind of failure', () => {
    const kinds = (
      ['DNS_FAILED', 'TIMEOUT', 'TLS_FAILED', 'TLS_UNTRUSTED', 'CONNECTION_LOST', 'INTERNAL'] as const
    ).map((code) => failureOutcome(SERVER, new MailError(code, 'x'), PASSWORD));
    expect(kinds.map((outcome) => (outcome.ok ? 'ok' : outcome.kind))).toEqual([
      'dns',
      'timeout',
      'tls',
      'certificate',
      'lost',
      'other',
    ]);
    expect(failureOutcome(SERVER, new Error('boom'), PASSWORD)).toMatchObject({
      kind: 'other',
      code: 'INTERNAL',
    });
  });
});
