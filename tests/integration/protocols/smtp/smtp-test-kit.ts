// Shared by the SMTP adapter's integration tests: submitter options for the fixture's Postfix, raw
// messages, and reading what arrived back over IMAP as the recipient.
import { X509Certificate, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { ImapFlow } from 'imapflow';
import type { SmtpSubmitterOptions } from '../../../../src-main/protocols/smtp';
import type { MailServers } from '../../../support/mail-servers';

const ARRIVAL_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 5_000;

/** Bob on the submission port (STARTTLS), trusting the fixture's self-signed certificate as a CA. */
export function submitterOptions(
  servers: MailServers,
  overrides: Partial<SmtpSubmitterOptions> = {},
): SmtpSubmitterOptions {
  return {
    host: servers.host,
    port: servers.ports.submission,
    security: 'starttls',
    username: 'bob',
    auth: { password: servers.password },
    trust: { extraCaPem: servers.caPem },
    name: 'estafeta.test',
    ...overrides,
  };
}

export interface RawMessage {
  messageId: string;
  raw: Buffer;
}

/**
 * A CRLF message with what transparency and 8-bit transport must survive: lines that are or start
 * with ".", UTF-8 in the body, a tab, trailing spaces and empty lines.
 */
export function rawMessage(from: string, to: string, subject: string): RawMessage {
  const messageId = `<${randomUUID()}@estafeta.test>`;
  const lines = [
    `From: Bob <${from}>`,
    `To: <${to}>`,
    `Subject: ${subject}`,
    'Date: Mon, 02 Mar 2026 10:00:00 +0000',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße aus Zürich, 你好 👋',
    '.',
    '..',
    '.leading dot',
    '\tindented with a tab  ',
    '',
    '',
    'last line',
    '',
  ];
  return { messageId, raw: Buffer.from(lines.join('\r\n'), 'utf8') };
}

async function withInbox<T>(servers: MailServers, user: string, use: (client: ImapFlow) => Promise<T>) {
  const client = new ImapFlow({
    host: servers.host,
    port: servers.ports.imaps,
    secure: true,
    auth: { user, pass: servers.password },
    tls: { ca: servers.caPem },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.mailboxOpen('INBOX');
    return await use(client);
  } finally {
    await client.logout();
  }
}

async function findSource(client: ImapFlow, messageId: string): Promise<Buffer | null> {
  await client.noop();
  const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
  const uid = uids ? uids[0] : undefined;
  if (uid === undefined) return null;
  const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
  return message && message.source ? message.source : null;
}

/** The message as stored in `user`'s INBOX, waiting for Postfix and LMTP to deliver it. */
export function waitForMessage(servers: MailServers, user: string, messageId: string): Promise<Buffer> {
  return withInbox(servers, user, async (client) => {
    const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
    for (;;) {
      const source = await findSource(client, messageId);
      if (source) return source;
      if (Date.now() > deadline) throw new Error(`${messageId} did not arrive for ${user}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  });
}

export function hasMessage(servers: MailServers, user: string, messageId: string): Promise<boolean> {
  return withInbox(servers, user, async (client) => (await findSource(client, messageId)) !== null);
}

/** The fixture certificate's SHA-256 fingerprint, in Node's "AB:CD:..." form. */
export const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

/** Resolves with what `promise` rejected with; fails the test when it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * How many bytes a plain-text server sends from its greeting through its 354 reply to one
 * pipelined MAIL FROM / RCPT TO / DATA, measured on a throwaway connection that is then dropped
 * (so the transaction is abandoned). A proxy that cuts one byte later lets the client send the
 * whole message and the server accept it, but never delivers the server's final reply.
 */
export function bytesThroughDataReply(host: string, port: number, from: string, to: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error('probe timed out')), PROBE_TIMEOUT_MS);
    let received = Buffer.alloc(0);
    let stage: 'greeting' | 'ehlo' | 'envelope' = 'greeting';
    const finish = (error: Error | null, count?: number): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(count ?? 0);
    };
    socket.on('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const textSoFar = received.toString('latin1');
      if (stage === 'greeting' && /^220 .*\r\n/m.test(textSoFar)) {
        stage = 'ehlo';
        socket.write('EHLO estafeta.test\r\n');
      } else if (stage === 'ehlo' && /^250 .*\r\n/m.test(textSoFar)) {
        stage = 'envelope';
        socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
      } else if (stage === 'envelope') {
        const end = textSoFar.search(/^354 .*\r\n/m);
        if (end >= 0) finish(null, end + (/^354 .*\r\n/m.exec(textSoFar.slice(end))?.[0].length ?? 0));
      }
    });
  });
}
