// SmtpSubmitter against scripted servers, for what the fixture's Postfix will not do on demand: no
// greeting, a busy greeting, no STARTTLS, XOAUTH2, an unknown host, and each outcome after the
// message content (refused, deferred, no answer). No mail server fixture is started in this file.
import { afterEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../src-main/domain/errors';
import {
  SmtpDeliveryUnknownError,
  SmtpSubmitter,
  isDeliveryUnknown,
  type SmtpSubmitterOptions,
} from '../../../../src-main/protocols/smtp';
import { startFakeSmtpServer, type FakeSmtpBehaviour, type FakeSmtpServer } from './fake-smtp-server';
import { rejectionOf } from './smtp-test-kit';

const SHORT_TIMEOUTS = { connectMs: 2_000, greetingMs: 300, replyMs: 2_000, dataEndMs: 300 };
const RAW = Buffer.from(
  'From: <bob@example.test>\r\nTo: <alice@example.test>\r\nSubject: x\r\n\r\nhello\r\n',
);
const ENVELOPE = { from: 'bob@example.test', to: ['alice@example.test'] };

let server: FakeSmtpServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function submitterFor(
  behaviour: FakeSmtpBehaviour,
  overrides: Partial<SmtpSubmitterOptions> = {},
): Promise<SmtpSubmitter> {
  server = await startFakeSmtpServer(behaviour);
  return new SmtpSubmitter({
    host: '127.0.0.1',
    port: server.port,
    security: 'none',
    username: 'bob',
    auth: null,
    name: 'estafeta.test',
    timeouts: SHORT_TIMEOUTS,
    ...overrides,
  });
}

describe('SmtpSubmitter before the message', () => {
  it('never continues in plain text when STARTTLS is required but not offered', async () => {
    const submitter = await submitterFor(
      { extensions: ['AUTH PLAIN LOGIN', 'SIZE 1000'] },
      { security: 'starttls', auth: { password: 'secret' } },
    );
    const error = await rejectionOf(submitter.verify());
    expect(error).toMatchObject({ code: 'TLS_FAILED', retryable: false });
    expect((error as MailError).detail).toMatch(/^502 /);
    // Asked for TLS, was refused, and stopped: no AUTH, no MAIL.
    expect(server?.commands).toEqual(['EHLO estafeta.test', 'STARTTLS']);
  });

  it('reports a server that never greets as TIMEOUT', async () => {
    const submitter = await submitterFor({ greeting: null });
    const error = await rejectionOf(submitter.verify());
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, detail: 'GREETING_TIMEOUT' });
  });

  it('reports a 421 greeting as SERVER_BUSY with the server words', async () => {
    const submitter = await submitterFor({ greeting: '421 4.3.2 Service shutting down' });
    const error = await rejectionOf(submitter.verify());
    expect(error).toMatchObject({
      code: 'SERVER_BUSY',
      retryable: true,
      detail: '421 4.3.2 Service shutting down',
    });
  });

  it('reports an unknown host name as DNS_FAILED', async () => {
    const submitter = new SmtpSubmitter({
      host: 'mail.estafeta.invalid', // RFC 6761 §6.4: never resolves
      port: 587,
      security: 'starttls',
      username: 'bob',
      auth: null,
      timeouts: SHORT_TIMEOUTS,
    });
    const error = await rejectionOf(submitter.verify());
    expect(error).toMatchObject({ code: 'DNS_FAILED', retryable: true });
  });
});

describe('SmtpSubmitter sign-in (RFC 4954)', () => {
  it('signs in with an OAuth access token through XOAUTH2', async () => {
    const submitter = await submitterFor(
      { extensions: ['AUTH PLAIN XOAUTH2'] },
      { auth: { accessToken: 'ya29.token' } },
    );
    await expect(submitter.verify()).resolves.toEqual({ maxSize: null, authMethods: ['PLAIN', 'XOAUTH2'] });
    const auth = server?.commands.find((line) => line.startsWith('AUTH '));
    const [, method, initial = ''] = auth?.split(' ') ?? [];
    expect(method).toBe('XOAUTH2');
    expect(Buffer.from(initial, 'base64').toString()).toBe('user=bob\x01auth=Bearer ya29.token\x01\x01');
  });

  it.each([
    ['a password', { password: 'secret' }, ['AUTH XOAUTH2']],
    ['a token', { accessToken: 'ya29.token' }, ['AUTH PLAIN LOGIN']],
  ])('sends no credentials when the server offers no mechanism for %s', async (_what, auth, extensions) => {
    const submitter = await submitterFor({ extensions }, { auth });
    const error = await rejectionOf(submitter.verify());
    expect(error).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expect(server?.commands.some((line) => line.startsWith('AUTH'))).toBe(false);
  });
});

describe('SmtpSubmitter after the message content', () => {
  it.each([
    ['554 5.7.1 Message rejected as spam', 'SERVER_REJECTED', false],
    ['451 4.3.0 Temporary queue failure', 'SERVER_BUSY', true],
  ])('reports a final %j as a definite outcome, not "unknown"', async (afterData, code, retryable) => {
    const submitter = await submitterFor({ afterData });
    const error = await rejectionOf(submitter.send(ENVELOPE, RAW));
    expect(error).toMatchObject({ code, retryable, detail: afterData });
    expect(isDeliveryUnknown(error)).toBe(false);
    expect(server?.contentBytes).toBeGreaterThan(RAW.length);
  });

  it('reports no answer to the final "." within dataEndMs as deliveryUnknown', async () => {
    const submitter = await submitterFor({ afterData: null });
    let dataStarts = 0;
    const error = await rejectionOf(
      submitter.send(ENVELOPE, RAW, { onDataStart: () => void (dataStarts += 1) }),
    );
    expect(error).toBeInstanceOf(SmtpDeliveryUnknownError);
    expect(error).toMatchObject({ code: 'CONNECTION_LOST', deliveryUnknown: true, retryable: false });
    expect((error as MailError).detail).toMatch(/^ETIMEDOUT /);
    expect(dataStarts).toBe(1);
  });

  it('abandons the transaction when onDataStart fails, and rethrows its error', async () => {
    const submitter = await submitterFor({});
    const disk = new MailError('DISK_FULL', 'The disk is full.');
    const error = await rejectionOf(
      submitter.send(ENVELOPE, RAW, {
        onDataStart: () => {
          throw disk;
        },
      }),
    );
    expect(error).toBe(disk);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The server answered DATA with 354 but got no content and no final ".".
    expect(server?.commands.at(-1)).toBe('DATA');
    expect(server?.contentBytes).toBe(0);
  });
});
