// Proves the test mail servers work end to end with the libraries the app uses: submission with
// STARTTLS + AUTH, reading over IMAP (STARTTLS and implicit TLS) and POP3 (STLS and POP3S), bulk
// seeding, refused wrong passwords, and a Dovecot restart that keeps the mail.
import { createHash, randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers } from '../support/mail-servers';
import type { MailServers } from '../support/mail-servers';
import { buildTestMessage, deliverViaLmtp, seedMailbox } from '../support/seed-mailbox';

const DELIVERY_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 200;
const SOCKET_TIMEOUT_MS = 15_000;
const SEED_COUNT = 10_000;
const ATTACHMENT_BYTES = 200_000;
/** POP3 RETR looks at this many of the newest messages for the one it expects. */
const POP3_SEARCH_DEPTH = 5;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let servers: MailServers;

beforeAll(async () => {
  const started = performance.now();
  servers = await startMailServers();
  console.log(`mail servers started in ${Math.round(performance.now() - started)} ms (${servers.stateDir})`);
});

afterAll(async () => {
  await servers?.stop();
});

function imapClient(user: string, options: { implicitTls: boolean; pass?: string }): ImapFlow {
  const client = new ImapFlow({
    host: servers.host,
    port: options.implicitTls ? servers.ports.imaps : servers.ports.imap,
    secure: options.implicitTls,
    doSTARTTLS: options.implicitTls ? undefined : true,
    auth: { user, pass: options.pass ?? servers.password },
    tls: { ca: servers.caPem },
    logger: false,
  });
  client.on('error', () => undefined); // failures surface through the awaited calls
  return client;
}

/** Waits for a message with this subject in INBOX and returns its raw source. */
async function fetchBySubject(client: ImapFlow, subject: string): Promise<Buffer> {
  const lock = await client.getMailboxLock('INBOX');
  try {
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    for (;;) {
      const uids = (await client.search({ header: { subject } }, { uid: true })) || [];
      const uid = uids.at(-1);
      if (uid !== undefined) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (message && message.source) return message.source;
        throw new Error(`UID ${uid} has no source`);
      }
      if (Date.now() > deadline) throw new Error(`"${subject}" not in INBOX after ${DELIVERY_TIMEOUT_MS} ms`);
      await sleep(POLL_INTERVAL_MS);
      await client.noop(); // lets the server report new messages to the selected mailbox
    }
  } finally {
    lock.release();
  }
}

/** A minimal line-oriented client for raw POP3 exchanges (the app's own client is not under test). */
class LineClient {
  private buffered = '';
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string) => void)[] = [];
  private readonly onData = (data: string): void => {
    this.buffered += data;
    let end: number;
    while ((end = this.buffered.indexOf('\r\n')) >= 0) {
      this.lines.push(this.buffered.slice(0, end));
      this.buffered = this.buffered.slice(end + 2);
    }
    while (this.waiters.length > 0 && this.lines.length > 0) this.waiters.shift()?.(this.lines.shift() ?? '');
  };

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1'); // one char per byte, so message bytes survive the round trip
    socket.on('data', this.onData);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('POP3: timed out waiting for a line')),
        SOCKET_TIMEOUT_MS,
      );
      this.waiters.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.next();
  }

  /** The body of a multi-line response, dot-unstuffed, as lines. */
  async multiline(): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const line = await this.next();
      if (line === '.') return out;
      out.push(line.startsWith('..') ? line.slice(1) : line);
    }
  }

  detach(): void {
    this.socket.off('data', this.onData);
  }
}

function withTimeout<T extends Socket>(socket: T, event: 'connect' | 'secureConnect'): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.setTimeout(SOCKET_TIMEOUT_MS, () => socket.destroy(new Error('socket timed out')));
    socket.once('error', reject);
    socket.once(event, () => resolve(socket));
  });
}

/** Logs in over POP3 and returns the raw message whose source contains `marker`, or throws. */
async function pop3Fetch(
  mode: 'stls' | 'pop3s',
  user: string,
  pass: string,
  marker: string,
): Promise<Buffer> {
  const tlsOptions = { host: servers.host, ca: servers.caPem };
  let socket: Socket =
    mode === 'pop3s'
      ? await withTimeout(tlsConnect({ ...tlsOptions, port: servers.ports.pop3s }), 'secureConnect')
      : await withTimeout(netConnect({ host: servers.host, port: servers.ports.pop3 }), 'connect');
  let client = new LineClient(socket);
  try {
    expect(await client.next()).toMatch(/^\+OK/);
    if (mode === 'stls') {
      await client.command('CAPA');
      expect(await client.multiline()).toContain('STLS');
      expect(await client.command('STLS')).toMatch(/^\+OK/);
      client.detach();
      socket = await withTimeout(tlsConnect({ ...tlsOptions, socket }), 'secureConnect');
      client = new LineClient(socket);
    }
    expect(await client.command(`USER ${user}`)).toMatch(/^\+OK/);
    const passReply = await client.command(`PASS ${pass}`);
    if (!passReply.startsWith('+OK')) throw new Error(`POP3 login refused: ${passReply}`);
    expect(await client.command('UIDL')).toMatch(/^\+OK/);
    const uidl = await client.multiline();
    expect(uidl.length).toBeGreaterThan(0);
    for (let n = uidl.length; n >= Math.max(1, uidl.length - POP3_SEARCH_DEPTH); n--) {
      expect(await client.command(`RETR ${n}`)).toMatch(/^\+OK/);
      const raw = Buffer.from((await client.multiline()).join('\r\n') + '\r\n', 'latin1');
      if (raw.includes(marker)) {
        await client.command('QUIT');
        return raw;
      }
    }
    throw new Error(`POP3: no message containing ${marker}`);
  } finally {
    socket.destroy();
  }
}

/** Resolves with the error code of a plain TCP connect (e.g. 'ECONNREFUSED'), or 'connected'. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: servers.host, port });
    socket.setTimeout(SOCKET_TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** INBOX message count as Dovecot sees it (doveadm prints 'INBOX messages=N'). */
async function messageCount(user: string): Promise<number> {
  const output = await servers.doveadm(['mailbox', 'status', '-u', user, 'messages', 'INBOX']);
  const count = /messages=(\d+)/.exec(output)?.[1];
  if (count === undefined) throw new Error(`unexpected doveadm output: ${output}`);
  return Number(count);
}

describe('test mail servers: round trip', () => {
  const tag = `${Date.now().toString(36)}-${process.pid}`;
  const subject = `Grüße aus Köln — 日本語 ✓ ${tag}`;
  // The subject travels RFC 2047-encoded, so raw POP3 sources are matched on the Message-ID.
  const messageId = `<round-trip-${tag}@example.test>`;
  const attachment = randomBytes(ATTACHMENT_BYTES);
  const attachmentName = 'résumé.pdf';

  it('submits over SMTP (STARTTLS + AUTH) and reads over IMAP and POP3', async () => {
    const transport = nodemailer.createTransport({
      host: servers.host,
      port: servers.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'bob', pass: servers.password },
      tls: { ca: servers.caPem }, // verified against the test CA, never rejectUnauthorized: false
    });
    try {
      const info = await transport.sendMail({
        from: `"Bob Tester" <${servers.address('bob')}>`,
        to: servers.address('alice'),
        subject,
        messageId,
        text: 'Hello Alice,\nthis is the round-trip test.\n',
        attachments: [{ filename: attachmentName, content: attachment, contentType: 'application/pdf' }],
      });
      expect(info.accepted).toContain(servers.address('alice'));
    } finally {
      transport.close();
    }

    const check = async (raw: Buffer, via: string): Promise<void> => {
      const parsed = await simpleParser(raw);
      expect(parsed.subject, via).toBe(subject);
      expect(parsed.attachments, via).toHaveLength(1);
      expect(parsed.attachments[0]?.filename, via).toBe(attachmentName);
      expect(sha256(parsed.attachments[0]?.content ?? Buffer.alloc(0)), via).toBe(sha256(attachment));
    };

    for (const implicitTls of [false, true]) {
      const client = imapClient('alice', { implicitTls });
      await client.connect();
      try {
        expect(client.secureConnection).toBe(true);
        await check(await fetchBySubject(client, tag), implicitTls ? 'IMAPS' : 'IMAP STARTTLS');
      } finally {
        await client.logout();
      }
    }
    await check(await pop3Fetch('stls', 'alice', servers.password, messageId), 'POP3 STLS');
    await check(await pop3Fetch('pop3s', 'alice', servers.password, messageId), 'POP3S');
  });

  it('refuses a wrong password over IMAP, POP3 and SMTP', async () => {
    const imap = imapClient('alice', { implicitTls: false, pass: 'wrong' });
    const imapError: unknown = await imap.connect().then(
      () => null,
      (error: unknown) => error,
    );
    expect(imapError).toMatchObject({ authenticationFailed: true });

    await expect(pop3Fetch('pop3s', 'alice', 'wrong', messageId)).rejects.toThrow(/POP3 login refused: -ERR/);

    const transport = nodemailer.createTransport({
      host: servers.host,
      port: servers.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { user: 'bob', pass: 'wrong' },
      tls: { ca: servers.caPem },
    });
    try {
      await expect(transport.verify()).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    } finally {
      transport.close();
    }
  });

  it('delivers exact bytes over LMTP, also to a user added at run time', async () => {
    await servers.addUser('dave', 'dave-pass');
    const raw = buildTestMessage({
      from: 'Zoë Müller <zoe@example.test>',
      to: servers.address('dave'),
      subject: `Überraschung 🎉 ${tag}`,
      // ASCII text stays 7bit, so lines starting with '.' reach the wire and need dot-stuffing.
      text: 'Line one\n.leading dot survives dot-stuffing\n..and two dots\n',
      messageId: `<lmtp-${tag}@example.test>`,
      date: new Date(Date.UTC(2024, 1, 29, 12, 0, 0)),
      attachments: [
        { filename: 'données.bin', contentType: 'application/octet-stream', content: attachment },
      ],
    });
    expect(raw.includes('\r\n.leading dot')).toBe(true);
    await deliverViaLmtp(servers, 'dave', raw);

    const client = imapClient('dave', { implicitTls: true, pass: 'dave-pass' });
    await client.connect();
    try {
      const stored = await fetchBySubject(client, tag);
      // Dovecot's LMTP prepends Return-Path and nothing else (start.sh turns off the rest).
      const returnPath = Buffer.from(`Return-Path: <lmtp-inject@${servers.domain}>\r\n`);
      expect(stored.equals(Buffer.concat([returnPath, raw]))).toBe(true);
      const parsed = await simpleParser(stored);
      expect(parsed.subject).toBe(`Überraschung 🎉 ${tag}`);
      expect(parsed.from?.value[0]?.name).toBe('Zoë Müller');
      expect(parsed.text).toContain('\n.leading dot survives dot-stuffing\n..and two dots');
      expect(parsed.attachments[0]?.filename).toBe('données.bin');
      expect(sha256(parsed.attachments[0]?.content ?? Buffer.alloc(0))).toBe(sha256(attachment));
    } finally {
      await client.logout();
    }

    // The no-auth "MX" port accepts the new user once Postfix has reloaded its recipient table.
    const mx = nodemailer.createTransport({
      host: servers.host,
      port: servers.ports.smtp,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const info = await mx.sendMail({
        from: 'list@lists.example',
        to: servers.address('dave'),
        subject: 'mx',
        text: 'x',
      });
      expect(info.accepted).toContain(servers.address('dave'));
    } finally {
      mx.close();
    }
  });

  it(`seeds ${SEED_COUNT} messages into a Maildir`, async () => {
    const started = performance.now();
    await seedMailbox(servers, 'carol', SEED_COUNT);
    console.log(`seeded ${SEED_COUNT} messages in ${Math.round(performance.now() - started)} ms`);

    expect(await messageCount('carol')).toBe(SEED_COUNT);
    const client = imapClient('carol', { implicitTls: true });
    await client.connect();
    try {
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: SEED_COUNT });
    } finally {
      await client.logout();
    }
  });

  it('stopDovecot() refuses IMAP connections; startDovecot() brings it back with the mail', async () => {
    await servers.stopDovecot();
    expect(await connectOutcome(servers.ports.imap)).toBe('ECONNREFUSED');
    expect(await connectOutcome(servers.ports.imaps)).toBe('ECONNREFUSED');

    await servers.startDovecot();
    const client = imapClient('alice', { implicitTls: false });
    await client.connect();
    try {
      const parsed = await simpleParser(await fetchBySubject(client, tag));
      expect(parsed.subject).toBe(subject);
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 1 });
    } finally {
      await client.logout();
    }
    expect(await messageCount('carol')).toBe(SEED_COUNT);
  });
});
