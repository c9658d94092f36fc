// SmtpSubmitter against real Postfix: "Connect" on both submission ports, certificate trust, the
// failure codes the account screen and the outbox rely on, raw bytes arriving byte for byte, a
// refused recipient stopping the whole message before its content, the SIZE limit checked before
// DATA, and a connection cut after the content reported as "delivery unknown".
import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UntrustedCertificateError } from '../../../../src-main/domain/certificate';
import { MailError } from '../../../../src-main/domain/errors';
import {
  SmtpDeliveryUnknownError,
  SmtpMessageTooLargeError,
  SmtpRecipientsRejectedError,
  SmtpSubmitter,
  isDeliveryUnknown,
  type SmtpSubmitterOptions,
} from '../../../../src-main/protocols/smtp';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { startTcpProxy } from '../../../support/tcp-proxy';
import {
  bytesThroughDataReply,
  fingerprintOf,
  hasMessage,
  rawMessage,
  rejectionOf,
  submitterOptions,
  waitForMessage,
} from './smtp-test-kit';

/** Postfix's SIZE on this fixture (message_size_limit in scripts/mailserver/start.sh). */
const FIXTURE_SIZE_LIMIT = 52_428_800;

let servers: MailServers;
let alice: string;
let bob: string;
const nobody = 'nobody@example.test';

beforeAll(async () => {
  servers = await startMailServers();
  alice = servers.address('alice');
  bob = servers.address('bob');
});

afterAll(async () => {
  await servers?.stop();
});

const submitter = (overrides: Partial<SmtpSubmitterOptions> = {}): SmtpSubmitter =>
  new SmtpSubmitter(submitterOptions(servers, overrides));

/** Sends a marker after `messageId` and waits for it, so that `messageId` had its chance to arrive. */
async function expectNeverDelivered(messageId: string): Promise<void> {
  const marker = rawMessage(bob, alice, 'marker');
  await submitter().send({ from: bob, to: [alice] }, marker.raw);
  await waitForMessage(servers, 'alice', marker.messageId);
  expect(await hasMessage(servers, 'alice', messageId)).toBe(false);
}

describe('SmtpSubmitter.verify ("Connect")', () => {
  it('signs in on the submission port after STARTTLS and reports SIZE and the AUTH mechanisms', async () => {
    const info = await submitter().verify();
    expect(info).toEqual({ maxSize: FIXTURE_SIZE_LIMIT, authMethods: ['PLAIN', 'LOGIN'] });
  });

  it('signs in on the submissions port with implicit TLS', async () => {
    const info = await submitter({ port: servers.ports.submissions, security: 'tls' }).verify();
    expect(info).toEqual({ maxSize: FIXTURE_SIZE_LIMIT, authMethods: ['PLAIN', 'LOGIN'] });
  });

  it.each(['starttls', 'tls'] as const)(
    'refuses the self-signed certificate without trust and shows it (%s)',
    async (security) => {
      const port = security === 'tls' ? servers.ports.submissions : servers.ports.submission;
      const error = await rejectionOf(submitter({ port, security, trust: undefined }).verify());
      expect(error).toBeInstanceOf(UntrustedCertificateError);
      const untrusted = error as UntrustedCertificateError;
      expect(untrusted.code).toBe('TLS_UNTRUSTED');
      expect(untrusted.retryable).toBe(false);
      expect(untrusted.certificate.fingerprint256).toBe(fingerprintOf(servers.caPem));
      expect(untrusted.certificate.subject).toContain('CN=localhost');
      expect(untrusted.detail).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    },
  );

  it('accepts exactly the pinned certificate once the user trusted it', async () => {
    const pinned = { pinnedSha256: fingerprintOf(servers.caPem) };
    await expect(submitter({ trust: pinned }).verify()).resolves.toMatchObject({
      maxSize: FIXTURE_SIZE_LIMIT,
    });
    const wrongPin = { pinnedSha256: '00'.repeat(32) };
    const error = await rejectionOf(submitter({ trust: wrongPin }).verify());
    expect(error).toBeInstanceOf(UntrustedCertificateError);
    expect((error as MailError).detail).toBe('PINNED_CERTIFICATE_MISMATCH');
  });

  it("reports a wrong password as AUTH_FAILED with the server's 535, and never the password", async () => {
    const password = 'Wr0ng-pa55-7f3a';
    const error = await rejectionOf(submitter({ auth: { password } }).verify());
    expect(error).toBeInstanceOf(MailError);
    const mailError = error as MailError;
    expect(mailError.code).toBe('AUTH_FAILED');
    expect(mailError.retryable).toBe(false);
    expect(mailError.detail).toMatch(/^535 5\.7\.8 /);
    // Everything reachable from the error, the nodemailer cause included.
    const everything = `${inspect(error, { depth: 10, showHidden: true })} ${mailError.detail ?? ''}`;
    for (const secret of [
      password,
      Buffer.from(password).toString('base64'),
      Buffer.from(`\0bob\0${password}`).toString('base64'),
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("never sends the password in clear text when the server offers AUTH only after TLS ('none')", async () => {
    const error = await rejectionOf(submitter({ security: 'none' }).verify());
    expect(error).toMatchObject({
      code: 'AUTH_FAILED',
      retryable: false,
      detail: 'no AUTH in the EHLO reply',
    });
  });
});

describe('SmtpSubmitter.send', () => {
  it('submits the raw bytes exactly as given, and they arrive byte for byte', async () => {
    const { messageId, raw } = rawMessage(bob, alice, 'Round trip');
    const events: string[] = [];
    const result = await submitter().send({ from: bob, to: [alice] }, raw, {
      onDataStart: () => {
        events.push('data-start');
      },
    });
    events.push('accepted');
    expect(events).toEqual(['data-start', 'accepted']);
    expect(result.accepted).toEqual([alice]);
    expect(result.rejected).toEqual([]);
    expect(result.response).toMatch(/^250 2\.0\.0 Ok: queued as /);

    const stored = await waitForMessage(servers, 'alice', messageId);
    // Postfix and Dovecot prepend Received, Return-Path and Delivered-To; the rest is ours.
    const start = stored.indexOf(`From: Bob <${bob}>\r\n`);
    expect(start).toBeGreaterThan(0);
    expect(stored.subarray(start).equals(raw)).toBe(true);
  });

  it('submits a stream over implicit TLS', async () => {
    const { messageId, raw } = rawMessage(bob, alice, 'Streamed');
    const chunks = [raw.subarray(0, 7), raw.subarray(7, 200), raw.subarray(200)];
    await submitter({ port: servers.ports.submissions, security: 'tls' }).send(
      { from: bob, to: [alice] },
      Readable.from(chunks),
      { messageSizeHint: raw.length },
    );
    const stored = await waitForMessage(servers, 'alice', messageId);
    expect(stored.subarray(stored.indexOf(`From: Bob <${bob}>\r\n`)).equals(raw)).toBe(true);
  });

  it('sends nothing to anyone when one recipient is refused, and names it with the server words', async () => {
    const { messageId, raw } = rawMessage(bob, alice, 'Refused recipient');
    let dataStarted = false;
    const error = await rejectionOf(
      submitter().send({ from: bob, to: [alice, nobody] }, raw, {
        onDataStart: () => void (dataStarted = true),
      }),
    );
    expect(error).toBeInstanceOf(SmtpRecipientsRejectedError);
    const refused = error as SmtpRecipientsRejectedError;
    expect(refused.code).toBe('SERVER_REJECTED');
    expect(refused.retryable).toBe(false);
    expect(refused.rejected).toEqual([
      {
        address: nobody,
        code: 550,
        response: expect.stringMatching(/^550 5\.1\.1 <nobody@example\.test>: .*User unknown/),
      },
    ]);
    expect(refused.message).toBe(`The server refused the recipient ${nobody}. Nothing was sent.`);
    expect(dataStarted).toBe(false);
    await expectNeverDelivered(messageId);
  });

  it('reports every refused recipient when none is accepted', async () => {
    const error = await rejectionOf(
      submitter().send({ from: bob, to: [nobody, 'nobody2@example.test'] }, rawMessage(bob, nobody, 'x').raw),
    );
    expect(error).toBeInstanceOf(SmtpRecipientsRejectedError);
    expect((error as SmtpRecipientsRejectedError).rejected.map((r) => [r.address, r.code])).toEqual([
      [nobody, 550],
      ['nobody2@example.test', 550],
    ]);
  });

  it('sends to the accepted recipients only when partial delivery is asked for', async () => {
    const { messageId, raw } = rawMessage(bob, alice, 'Partial');
    const result = await submitter().send({ from: bob, to: [alice, nobody] }, raw, {
      allowPartialRecipients: true,
    });
    expect(result.accepted).toEqual([alice]);
    expect(result.rejected).toMatchObject([{ address: nobody, code: 550 }]);
    await waitForMessage(servers, 'alice', messageId);
  });

  it('refuses a message larger than the SIZE limit before DATA, and says the limit', async () => {
    let dataStarted = false;
    const tooLarge = Buffer.alloc(FIXTURE_SIZE_LIMIT + 1, 'a');
    const error = await rejectionOf(
      submitter().send({ from: bob, to: [alice] }, tooLarge, {
        onDataStart: () => void (dataStarted = true),
      }),
    );
    expect(error).toBeInstanceOf(SmtpMessageTooLargeError);
    const large = error as SmtpMessageTooLargeError;
    expect(large.message).toBe('The message is larger than the server accepts (50 MB max).');
    expect(large).toMatchObject({ code: 'SERVER_REJECTED', retryable: false, maxSize: FIXTURE_SIZE_LIMIT });
    expect(large.detail).toContain(String(FIXTURE_SIZE_LIMIT));
    expect(dataStarted).toBe(false);

    const stream = Readable.from([Buffer.from('Subject: x\r\n\r\nx\r\n')]);
    const fromHint = await rejectionOf(
      submitter().send({ from: bob, to: [alice] }, stream, { messageSizeHint: FIXTURE_SIZE_LIMIT * 2 }),
    );
    expect(fromHint).toBeInstanceOf(SmtpMessageTooLargeError);
    expect(stream.destroyed).toBe(true);
  });
});

describe('SmtpSubmitter.send when the connection is cut (plain "MX" port through a proxy)', () => {
  const viaProxy = (port: number): Partial<SmtpSubmitterOptions> => ({
    port,
    security: 'none',
    auth: null,
  });

  it('reports a cut before the content as a plain, retryable CONNECTION_LOST', async () => {
    const proxy = await startTcpProxy({ host: servers.host, port: servers.ports.smtp });
    try {
      proxy.setRule({ whenServerSends: 'PIPELINING' }); // inside the EHLO reply
      const { messageId, raw } = rawMessage(bob, alice, 'Cut at EHLO');
      let dataStarted = false;
      const error = await rejectionOf(
        submitter(viaProxy(proxy.port)).send({ from: bob, to: [alice] }, raw, {
          onDataStart: () => void (dataStarted = true),
        }),
      );
      expect(error).toBeInstanceOf(MailError);
      expect(error).toMatchObject({ code: 'CONNECTION_LOST', retryable: true });
      expect(isDeliveryUnknown(error)).toBe(false);
      expect(dataStarted).toBe(false);
      await expectNeverDelivered(messageId);
    } finally {
      await proxy.close();
    }
  });

  it('says "delivery unknown" exactly when the content may have gone out (cut at the 354)', async () => {
    const proxy = await startTcpProxy({ host: servers.host, port: servers.ports.smtp });
    try {
      proxy.setRule({ whenServerSends: '354 ' });
      const { messageId, raw } = rawMessage(bob, alice, 'Cut at 354');
      let dataStarted = false;
      const error = await rejectionOf(
        submitter(viaProxy(proxy.port)).send({ from: bob, to: [alice] }, raw, {
          onDataStart: () => void (dataStarted = true),
        }),
      );
      expect(error).toMatchObject({ code: 'CONNECTION_LOST' });
      // Which side of the 354 the cut lands on is the event loop's business; the guarantee is that
      // "safe to retry" is never claimed once content may have left.
      expect(isDeliveryUnknown(error)).toBe(dataStarted);
      if (!dataStarted) await expectNeverDelivered(messageId);
    } finally {
      await proxy.close();
    }
  });

  it('reports a cut after the content, before the final reply, as deliveryUnknown (and it did arrive)', async () => {
    const bytes = await bytesThroughDataReply(servers.host, servers.ports.smtp, bob, alice);
    const proxy = await startTcpProxy({ host: servers.host, port: servers.ports.smtp });
    try {
      // One byte into the final "250 ... queued as" reply: Postfix has the message, we never hear so.
      proxy.setRule({ afterServerBytes: bytes + 1 });
      const { messageId, raw } = rawMessage(bob, alice, 'Cut before the final reply');
      let dataStarts = 0;
      const error = await rejectionOf(
        submitter(viaProxy(proxy.port)).send({ from: bob, to: [alice] }, raw, {
          onDataStart: () => void (dataStarts += 1),
        }),
      );
      expect(error).toBeInstanceOf(SmtpDeliveryUnknownError);
      expect(error).toMatchObject({ code: 'CONNECTION_LOST', deliveryUnknown: true, retryable: false });
      expect(dataStarts).toBe(1);
      // Why the outbox must not simply send again: the server did accept it.
      await waitForMessage(servers, 'alice', messageId);
    } finally {
      await proxy.close();
    }
  });
});

describe('SmtpSubmitter when the server is down', () => {
  it('reports a stopped Postfix as CONNECT_FAILED, retryable', async () => {
    await servers.stopPostfix();
    try {
      const error = await rejectionOf(submitter().verify());
      expect(error).toMatchObject({ code: 'CONNECT_FAILED', retryable: true, detail: 'ECONNREFUSED' });
    } finally {
      await servers.startPostfix();
    }
  });
});
