import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MailError, type ErrorCode } from '../../../../../src-main/domain/errors';
import {
  MAX_PIPELINED_COMMANDS,
  MAX_PIPELINED_DELES,
  Pop3Client,
  type Pop3ConnectOptions,
} from '../../../../../src-main/protocols/pop3';
import { freePort } from '../../../../support/free-port';
import {
  dotStuff,
  startFakePop3Server,
  type FakePop3Options,
  type FakePop3Server,
} from '../../../../support/fake-pop3-server';

const USER = 'alice';
const PASSWORD = 'correct horse';
/** Short deadlines so that every failure shows up well inside the test timeout. */
const TEST_TIMEOUTS = {
  connectMs: 3_000,
  greetingMs: 3_000,
  tlsHandshakeMs: 3_000,
  commandMs: 3_000,
  idleMs: 3_000,
};
const TEST_TIMEOUT_MS = 15_000;

const plainMessage = Buffer.from('From: a@example.com\r\nSubject: hello\r\n\r\nHello.\r\n', 'latin1');
/** Lines beginning with "." (one of them only "."), 8-bit bytes, NUL and a lone LF. */
const trickyMessage = Buffer.concat([
  Buffer.from('Subject: =?utf-8?q?dots?=\r\nX-Raw: ', 'latin1'),
  Buffer.from([0x80, 0xff, 0x00, 0xe9, 0x0a, 0x2e, 0x2e, 0xc3, 0xa9]),
  Buffer.from('\r\n\r\n.\r\n..two\r\n.leading\r\nend.\r\n', 'latin1'),
]);

const servers: FakePop3Server[] = [];
const clients: Pop3Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(options: FakePop3Options = {}): Promise<FakePop3Server> {
  const server = await startFakePop3Server({ username: USER, password: PASSWORD, ...options });
  servers.push(server);
  return server;
}

async function connect(
  server: FakePop3Server,
  overrides: Partial<Pop3ConnectOptions> = {},
): Promise<Pop3Client> {
  const client = await Pop3Client.connect({
    host: server.host,
    port: server.port,
    security: 'none',
    username: USER,
    password: PASSWORD,
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  });
  clients.push(client);
  return client;
}

/** Awaits a rejection and checks it is a MailError with `code`. */
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

function onlyCommand(line: string): string {
  return line.split(' ')[0] ?? '';
}

describe('Pop3Client signing in', { timeout: TEST_TIMEOUT_MS }, () => {
  it('uses SASL PLAIN with the RFC 4616 initial response when CAPA offers it, then re-reads CAPA', async () => {
    const server = await startServer();
    const client = await connect(server);
    expect(client.authMethod).toBe('sasl-plain');
    const commands = server.sessions[0]?.commands ?? [];
    expect(commands.map(onlyCommand)).toEqual(['CAPA', 'AUTH', 'CAPA']);
    const response = commands[1]?.split(' ')[2] ?? '';
    expect(commands[1]?.startsWith('AUTH PLAIN ')).toBe(true);
    expect(Buffer.from(response, 'base64').toString('utf8')).toBe(`\u0000${USER}\u0000${PASSWORD}`);
    expect(client.capabilities.saslMechanisms).toEqual(['PLAIN']);
  });

  it('answers the empty challenge instead when the initial response would pass 255 octets (RFC 5034 §4)', async () => {
    const longPassword = 'p'.repeat(250);
    const server = await startServer({ password: longPassword });
    const client = await connect(server, { password: longPassword });
    expect(client.authMethod).toBe('sasl-plain');
    const commands = server.sessions[0]?.commands ?? [];
    expect(commands[1]).toBe('AUTH PLAIN');
    expect(Buffer.from(commands[2] ?? '', 'base64').toString('utf8')).toBe(
      `\u0000${USER}\u0000${longPassword}`,
    );
  });

  it('uses USER and PASS when CAPA lists no SASL PLAIN', async () => {
    const server = await startServer({ capabilities: ['USER', 'UIDL', 'TOP'] });
    const client = await connect(server);
    expect(client.authMethod).toBe('user');
    expect(server.sessions[0]?.commands).toEqual(['CAPA', `USER ${USER}`, `PASS ${PASSWORD}`, 'CAPA']);
  });

  it('works with a server without CAPA: USER/PASS, no capabilities, CAPA not asked twice', async () => {
    const server = await startServer({ capabilities: null, messages: [plainMessage] });
    const client = await connect(server);
    expect(client.authMethod).toBe('user');
    expect(client.capabilities.isAdvertised).toBe(false);
    expect(client.capabilities.hasPipelining).toBe(false);
    expect(await client.stat()).toEqual({ count: 1, size: plainMessage.length });
    expect((await client.retr(1)).equals(plainMessage)).toBe(true);
    expect(server.sessions[0]?.commands.filter((line) => line === 'CAPA')).toHaveLength(1);
  });

  it('sends APOP with MD5(timestamp + password) when asked and the greeting has a timestamp', async () => {
    const server = await startServer();
    const client = await connect(server, { authMethod: 'apop' });
    expect(client.authMethod).toBe('apop');
    const digest = createHash('md5').update(`${server.apopTimestamp}${PASSWORD}`).digest('hex');
    expect(server.sessions[0]?.commands).toContain(`APOP ${USER} ${digest}`);
    expect(server.sessions[0]?.commands.join('\n')).not.toContain(PASSWORD);
  });

  it('refuses APOP when the greeting carries no timestamp, without sending the password', async () => {
    const server = await startServer({ greetingLine: '+OK ready\r\n' });
    await rejection(connect(server, { authMethod: 'apop' }), 'SERVER_REJECTED');
    expect(server.sessions[0]?.commands).toEqual(['CAPA']);
  });

  it('reports a wrong password as AUTH_FAILED without the password anywhere, even if the server echoes it', async () => {
    const echo = (argument: string): string => `-ERR [AUTH] bad credentials: ${argument}\r\n`;
    const sasl = await startServer({ handlers: { AUTH: echo } });
    const userPass = await startServer({ capabilities: ['USER'], handlers: { PASS: echo } });
    for (const server of [sasl, userPass]) {
      const error = await rejection(connect(server, { password: 'wrong secret' }), 'AUTH_FAILED');
      expect(error.message).toBe('The server rejected the user name or password.');
      expect(error.retryable).toBe(false);
      const base64 = Buffer.from(`\u0000${USER}\u0000wrong secret`).toString('base64');
      const everything = JSON.stringify({ message: error.message, detail: error.detail, stack: error.stack });
      expect(everything).not.toContain('wrong secret');
      expect(everything).not.toContain(base64);
      expect(error.detail).toContain('bad credentials');
    }
  });

  it('reports a real server refusing the password as AUTH_FAILED and keeps its words in detail', async () => {
    const server = await startServer({ capabilities: ['USER'] });
    const error = await rejection(connect(server, { password: 'nope' }), 'AUTH_FAILED');
    expect(error.detail).toBe('[AUTH] Authentication failed.');
  });

  it.each([
    ['[IN-USE] Mailbox locked by another session', 'SERVER_BUSY', true],
    ['unable to lock maildrop', 'SERVER_BUSY', true],
    ['[LOGIN-DELAY] wait 5 minutes', 'SERVER_BUSY', true],
    ['[SYS/TEMP] backend down', 'SERVER_BUSY', true],
    ['[SYS/PERM] account disabled', 'SERVER_REJECTED', false],
    ['[AUTH] no', 'AUTH_FAILED', false],
  ] as const)('maps PASS "-ERR %s" to %s', async (text, code, retryable) => {
    const server = await startServer({ capabilities: ['USER'], failOn: { PASS: text } });
    const error = await rejection(connect(server), code);
    expect(error.retryable).toBe(retryable);
    expect(error.detail).toBe(text);
  });

  it.each([
    ['USER', 'user'],
    ['PASS', 'user'],
    ['AUTH', 'sasl-plain'],
    ['APOP', 'apop'],
  ] as const)('maps -ERR to %s (signing in with %s) to AUTH_FAILED', async (command, authMethod) => {
    const server = await startServer({ failOn: { [command]: 'invalid login' } });
    const error = await rejection(connect(server, { authMethod }), 'AUTH_FAILED');
    expect(error.detail).toBe('invalid login');
  });

  it('treats -ERR to CAPA as a server without capabilities and signs in with USER/PASS', async () => {
    const server = await startServer({ failOn: { CAPA: 'unknown command' } });
    const client = await connect(server);
    expect(client.capabilities.isAdvertised).toBe(false);
    expect(client.authMethod).toBe('user');
  });

  it('fails with TIMEOUT when the server never greets, within the greeting deadline', async () => {
    const server = await startServer({ greeting: null });
    const started = Date.now();
    const error = await rejection(
      connect(server, { timeouts: { ...TEST_TIMEOUTS, greetingMs: 300 } }),
      'TIMEOUT',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.retryable).toBe(true);
  });

  it('treats a -ERR greeting (connection limit) as SERVER_BUSY', async () => {
    const server = await startServer({ greetingLine: '-ERR too many connections\r\n' });
    const error = await rejection(connect(server), 'SERVER_BUSY');
    expect(error.detail).toBe('too many connections');
  });

  it('reports a refused connection as CONNECT_FAILED', async () => {
    const port = await freePort();
    await rejection(
      Pop3Client.connect({ host: '127.0.0.1', port, security: 'none', username: USER, password: PASSWORD }),
      'CONNECT_FAILED',
    );
  });

  it('rejects an impossible port as BAD_REQUEST without connecting', async () => {
    await rejection(
      Pop3Client.connect({
        host: '127.0.0.1',
        port: 70_000,
        security: 'none',
        username: USER,
        password: PASSWORD,
      }),
      'BAD_REQUEST',
    );
  });

  it('refuses a password containing a line break before sending anything with it', async () => {
    const server = await startServer();
    const error = await rejection(connect(server, { password: 'a\r\nDELE 1' }), 'BAD_REQUEST');
    expect(error.message).not.toContain('DELE');
    expect(server.sessions[0]?.commands).toEqual(['CAPA']);
  });
});

describe('Pop3Client reading mail', { timeout: TEST_TIMEOUT_MS }, () => {
  it('returns STAT, LIST, UIDL, TOP and RETR results, messages byte for byte', async () => {
    const server = await startServer({ messages: [plainMessage, trickyMessage], uids: ['AAA', 'BBB'] });
    const client = await connect(server);
    expect(await client.stat()).toEqual({ count: 2, size: plainMessage.length + trickyMessage.length });
    expect(await client.list()).toEqual(
      new Map([
        [1, plainMessage.length],
        [2, trickyMessage.length],
      ]),
    );
    expect(await client.uidl()).toEqual(
      new Map([
        [1, 'AAA'],
        [2, 'BBB'],
      ]),
    );
    expect((await client.retr(2)).equals(trickyMessage)).toBe(true);
    expect((await client.retr(1)).equals(plainMessage)).toBe(true);
    expect((await client.top(2, 1)).toString('latin1')).toBe(
      Buffer.concat([
        trickyMessage.subarray(0, trickyMessage.indexOf('\r\n\r\n') + 4),
        Buffer.from('.\r\n'),
      ]).toString('latin1'),
    );
  });

  it('gives the same messages when every reply arrives one byte at a time', async () => {
    const server = await startServer({ messages: [trickyMessage, plainMessage], byteByByte: true });
    const client = await connect(server);
    expect((await client.retr(1)).equals(trickyMessage)).toBe(true);
    expect((await client.retr(2)).equals(plainMessage)).toBe(true);
    expect((await client.uidl())?.size).toBe(2);
  });

  it('returns null from uidl() on a server without UIDL, and the session goes on', async () => {
    const server = await startServer({ messages: [plainMessage], omitUidl: true });
    const client = await connect(server);
    expect(await client.uidl()).toBeNull();
    await client.noop();
    expect(await client.stat()).toEqual({ count: 1, size: plainMessage.length });
  });

  it('throws rather than returning null when UIDL fails with a temporary response code', async () => {
    const server = await startServer({
      messages: [plainMessage],
      failOn: { UIDL: '[SYS/TEMP] index rebuilding' },
    });
    const client = await connect(server);
    await rejection(client.uidl(), 'SERVER_BUSY');
  });

  it.each([
    ['STAT', 'SERVER_REJECTED', (c: Pop3Client) => c.stat()],
    ['LIST', 'SERVER_REJECTED', (c: Pop3Client) => c.list()],
    ['TOP', 'NOT_FOUND', (c: Pop3Client) => c.top(1, 0)],
    ['RETR', 'NOT_FOUND', (c: Pop3Client) => c.retr(1)],
    ['DELE', 'NOT_FOUND', (c: Pop3Client) => c.dele(1)],
    ['RSET', 'SERVER_REJECTED', (c: Pop3Client) => c.rset()],
    ['NOOP', 'SERVER_REJECTED', (c: Pop3Client) => c.noop()],
  ] as const)('maps -ERR to %s as %s and keeps the session usable', async (command, code, call) => {
    const server = await startServer({ messages: [plainMessage], failOn: { [command]: 'nope' } });
    const client = await connect(server);
    const error = await rejection(call(client), code);
    expect(error.detail).toBe('nope');
    expect(await client.uidl()).toEqual(new Map([[1, 'uid-1']]));
  });

  it('maps -ERR to QUIT as a retryable SERVER_REJECTED (deletions not applied) and closes', async () => {
    const server = await startServer({
      messages: [plainMessage],
      failOn: { QUIT: 'some deleted messages not removed' },
    });
    const client = await connect(server);
    const error = await rejection(client.quit(), 'SERVER_REJECTED');
    expect(error.retryable).toBe(true);
    await rejection(client.noop(), 'CANCELLED');
  });

  it('maps a -ERR on user-level commands with a [SYS/TEMP] code to SERVER_BUSY', async () => {
    const server = await startServer({ messages: [plainMessage], failOn: { RETR: '[SYS/TEMP] try later' } });
    const client = await connect(server);
    const error = await rejection(client.retr(1), 'SERVER_BUSY');
    expect(error.retryable).toBe(true);
  });

  it('loses the connection mid-RETR body: CONNECTION_LOST, no partial message, client unusable', async () => {
    const server = await startServer({ messages: [trickyMessage], dropRetr: 'mid-body' });
    const client = await connect(server);
    let partial: Buffer | null = null;
    await rejection(
      client.retr(1).then((message) => (partial = message)),
      'CONNECTION_LOST',
    );
    expect(partial).toBeNull();
    await rejection(client.stat(), 'CONNECTION_LOST');
  });

  it('loses the connection in the middle of the terminator: CONNECTION_LOST, no partial message', async () => {
    const server = await startServer({ messages: [trickyMessage], dropRetr: 'mid-terminator' });
    const client = await connect(server);
    let delivered = 0;
    await rejection(
      client.retrMany([1], () => {
        delivered += 1;
      }),
      'CONNECTION_LOST',
    );
    expect(delivered).toBe(0);
  });

  it('fails with TIMEOUT when a RETR body stalls, and waits as long as bytes keep coming', async () => {
    const stall = await startServer({
      messages: [plainMessage],
      handlers: { RETR: () => '+OK\r\nSubject: half' },
    });
    const stalled = await connect(stall, { timeouts: { ...TEST_TIMEOUTS, idleMs: 300 } });
    const started = Date.now();
    await rejection(stalled.retr(1), 'TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);

    const slowLines = Array.from({ length: 8 }, (_, i) => `line ${i}\r\n`);
    const slow = await startServer({
      handlers: {
        RETR: async (_argument, session) => {
          await session.send('+OK\r\n');
          for (const line of slowLines) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            await session.send(line);
          }
          return '.\r\n';
        },
      },
    });
    const patient = await connect(slow, { timeouts: { ...TEST_TIMEOUTS, idleMs: 500 } });
    expect((await patient.retr(1)).toString('latin1')).toBe(slowLines.join('')); // 800 ms in all
  });

  it('refuses a message larger than maxMessageBytes with MALFORMED_MESSAGE', async () => {
    const big = Buffer.from(`Subject: big\r\n\r\n${'x'.repeat(5_000)}\r\n`);
    const server = await startServer({ messages: [big] });
    const client = await connect(server, { maxMessageBytes: 1_000 });
    const error = await rejection(client.retr(1), 'MALFORMED_MESSAGE');
    expect(error.retryable).toBe(false);
  });

  it('runs concurrent calls one after another in call order', async () => {
    const server = await startServer({ messages: [plainMessage, trickyMessage] });
    const client = await connect(server);
    const [stat, list, message] = await Promise.all([client.stat(), client.list(), client.retr(2)]);
    expect(stat.count).toBe(2);
    expect(list.size).toBe(2);
    expect(message.equals(trickyMessage)).toBe(true);
    expect(server.sessions[0]?.commands.slice(-3)).toEqual(['STAT', 'LIST', 'RETR 2']);
  });

  it('fails a command in progress with CANCELLED when close() is called', async () => {
    const server = await startServer({ messages: [plainMessage], handlers: { RETR: () => null } });
    const client = await connect(server);
    const pending = client.retr(1);
    setTimeout(() => client.close(), 50);
    await rejection(pending, 'CANCELLED');
  });
});

describe('Pop3Client retrMany and PIPELINING (RFC 2449 §6.6)', { timeout: TEST_TIMEOUT_MS }, () => {
  const many = Array.from({ length: 12 }, (_, i) =>
    Buffer.from(`Subject: number ${i + 1}\r\n\r\n.dot ${i + 1}\r\n\xe9\r\n`, 'latin1'),
  );

  it('pipelines RETRs when offered: the server sees several commands before answering, never more than the window', async () => {
    // More messages than the window, so the window and its refills are exercised.
    const more = Array.from({ length: MAX_PIPELINED_COMMANDS * 2 + 5 }, (_, i) =>
      Buffer.from(`Subject: more ${i + 1}\r\n\r\n.dot-stuffed line ${i + 1}\r\nend\r\n`),
    );
    const server = await startServer({
      messages: more,
      capabilities: ['USER', 'UIDL', 'SASL PLAIN', 'PIPELINING'],
      replyDelayMs: 5,
    });
    const client = await connect(server);
    expect(client.capabilities.hasPipelining).toBe(true);
    const received: Array<[number, Buffer]> = [];
    await client.retrMany(
      more.map((_, i) => i + 1),
      (number, message) => {
        received.push([number, message]);
      },
    );
    expect(received.map(([number]) => number)).toEqual(more.map((_, i) => i + 1));
    received.forEach(([number, message]) =>
      expect(message.equals(more[number - 1] ?? Buffer.alloc(0))).toBe(true),
    );
    const pending = server.sessions[0]?.maxPendingCommands ?? 0;
    expect(pending).toBeGreaterThan(1);
    expect(pending).toBeLessThanOrEqual(MAX_PIPELINED_COMMANDS);
  });

  it('sends one RETR at a time when PIPELINING is not offered', async () => {
    const server = await startServer({ messages: many, replyDelayMs: 5 });
    const client = await connect(server);
    const numbers: number[] = [];
    await client.retrMany([3, 1, 2], async (number, message) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(message.equals(many[number - 1] ?? Buffer.alloc(0))).toBe(true);
      numbers.push(number);
    });
    expect(numbers).toEqual([3, 1, 2]);
    expect(server.sessions[0]?.maxPendingCommands).toBe(1);
  });

  it('stops at the first -ERR, drains the RETRs in flight and leaves the session usable', async () => {
    const server = await startServer({
      messages: many,
      capabilities: ['USER', 'PIPELINING'],
      handlers: {
        RETR: (argument) =>
          argument === '3'
            ? '-ERR no such message\r\n'
            : Buffer.concat([
                Buffer.from('+OK\r\n'),
                dotStuff(many[Number(argument) - 1] ?? Buffer.alloc(0)),
                Buffer.from('.\r\n'),
              ]),
      },
    });
    const client = await connect(server);
    const delivered: number[] = [];
    await rejection(
      client.retrMany([1, 2, 3, 4, 5, 6], (number) => {
        delivered.push(number);
      }),
      'NOT_FOUND',
    );
    expect(delivered).toEqual([1, 2]);
    expect(server.sessions[0]?.commands.filter((line) => line.startsWith('RETR')).length).toBeGreaterThan(3);
    expect((await client.retr(4)).equals(many[3] ?? Buffer.alloc(0))).toBe(true);
    expect(await client.stat()).toEqual({ count: 12, size: many.reduce((sum, m) => sum + m.length, 0) });
  });

  it('rethrows the handler error after draining, without delivering more', async () => {
    const server = await startServer({ messages: many, capabilities: ['USER', 'PIPELINING'] });
    const client = await connect(server);
    const failure = new Error('disk full');
    const delivered: number[] = [];
    const error: unknown = await client
      .retrMany([1, 2, 3, 4, 5], (number) => {
        delivered.push(number);
        if (number === 2) throw failure;
      })
      .catch((reason: unknown) => reason);
    expect(error).toBe(failure);
    expect(delivered).toEqual([1, 2]);
    await client.noop();
    expect((await client.retr(5)).equals(many[4] ?? Buffer.alloc(0))).toBe(true);
  });
});

describe('Pop3Client deleting (RFC 1939 §6)', { timeout: TEST_TIMEOUT_MS }, () => {
  const five = Array.from({ length: 5 }, (_, i) => Buffer.from(`Subject: ${i + 1}\r\n\r\nx\r\n`));

  it('pipelines DELEs when offered and QUIT applies them all', async () => {
    const server = await startServer({
      messages: five,
      capabilities: ['USER', 'PIPELINING'],
      replyDelayMs: 5,
    });
    const client = await connect(server);
    await expect(client.deleMany([1, 2, 3, 4])).resolves.toEqual([null, null, null, null]);
    expect(server.sessions[0]?.maxPendingCommands).toBeGreaterThan(1);
    await client.quit();
    expect(server.mailbox()).toEqual([five[4]]);
  });

  it('tops the DELE window up in groups over a long run, never past the window, and loses none', async () => {
    const many = Array.from({ length: 150 }, (_, i) => Buffer.from(`Subject: ${i + 1}\r\n\r\nx\r\n`));
    const server = await startServer({ messages: many, capabilities: ['USER', 'PIPELINING'] });
    const client = await connect(server);
    const numbers = many.map((_, i) => i + 1);
    await expect(client.deleMany(numbers)).resolves.toEqual(numbers.map(() => null));
    expect(server.sessions[0]?.maxPendingCommands).toBeLessThanOrEqual(MAX_PIPELINED_DELES);
    await client.quit();
    expect(server.mailbox()).toEqual([]);
  });

  it('sends one DELE at a time without PIPELINING', async () => {
    const server = await startServer({ messages: five, capabilities: ['USER'], replyDelayMs: 2 });
    const client = await connect(server);
    await client.deleMany([5, 1]);
    expect(server.sessions[0]?.maxPendingCommands).toBe(1);
    await client.quit();
    expect(server.mailbox()).toEqual([five[1], five[2], five[3]]);
  });

  it('reports a refused DELE for its message and goes on with the others', async () => {
    const server = await startServer({
      messages: five,
      capabilities: ['USER', 'PIPELINING'],
      handlers: {
        DELE: (argument, session) => {
          if (argument === '2') return '-ERR message 2 is busy\r\n';
          session.deleted.add(Number(argument));
          return '+OK marked\r\n';
        },
      },
    });
    const client = await connect(server);
    const outcomes = await client.deleMany([1, 2, 3]);
    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toMatchObject({ code: 'NOT_FOUND', detail: 'message 2 is busy' });
    expect(outcomes[2]).toBeNull();
    await client.noop(); // the session is still in step
  });

  it('fails as a lost connection when the server drops in the middle of the DELEs', async () => {
    const server = await startServer({
      messages: five,
      capabilities: ['USER', 'PIPELINING'],
      handlers: {
        DELE: (argument, session) => {
          if (argument === '3') {
            session.drop();
            return null;
          }
          session.deleted.add(Number(argument));
          return '+OK\r\n';
        },
      },
    });
    const client = await connect(server);
    await rejection(client.deleMany([1, 2, 3, 4]), 'CONNECTION_LOST');
    expect(server.mailbox()).toHaveLength(5); // no QUIT, so no deletion applied
  });

  it('applies DELE when QUIT is sent', async () => {
    const server = await startServer({ messages: [plainMessage, trickyMessage] });
    const client = await connect(server);
    await client.dele(1);
    expect(await client.stat()).toEqual({ count: 1, size: trickyMessage.length });
    await client.quit();
    expect(server.sessions[0]?.sawQuit).toBe(true);
    expect(server.mailbox()).toEqual([trickyMessage]);
    const again = await connect(server);
    expect((await again.retr(1)).equals(trickyMessage)).toBe(true);
  });

  it('close() without QUIT: the server sees no QUIT and keeps every message', async () => {
    const server = await startServer({ messages: [plainMessage, trickyMessage] });
    const client = await connect(server);
    await client.dele(1);
    await client.dele(2);
    client.close();
    await rejection(client.noop(), 'CANCELLED');
    const again = await connect(server);
    expect(await again.stat()).toEqual({ count: 2, size: plainMessage.length + trickyMessage.length });
    expect(server.sessions[0]?.sawQuit).toBe(false);
    expect(server.sessions[0]?.commands).not.toContain('QUIT');
    expect(server.mailbox()).toHaveLength(2);
  });

  it('RSET unmarks deletions before QUIT', async () => {
    const server = await startServer({ messages: [plainMessage] });
    const client = await connect(server);
    await client.dele(1);
    await client.rset();
    await client.quit();
    expect(server.mailbox()).toHaveLength(1);
  });

  it('does not send TOP to a server whose CAPA lacks it', async () => {
    const server = await startServer({ messages: [plainMessage], capabilities: ['USER', 'UIDL'] });
    const client = await connect(server);
    await rejection(client.top(1, 0), 'SERVER_REJECTED');
    expect(server.sessions[0]?.commands.some((line) => line.startsWith('TOP'))).toBe(false);
  });

  it('rejects message numbers that cannot exist without sending them', async () => {
    const server = await startServer({ messages: [plainMessage] });
    const client = await connect(server);
    await rejection(client.retr(0), 'BAD_REQUEST');
    await rejection(client.dele(1.5), 'BAD_REQUEST');
    await rejection(client.top(1, -1), 'BAD_REQUEST');
    expect(server.sessions[0]?.commands.some((line) => /^(RETR|DELE|TOP)/.test(line))).toBe(false);
  });
});
