// POP3 sign-in with an OAuth2 access token: SASL XOAUTH2 / OAUTHBEARER (RFC 5034, RFC 7628)
// against the scripted fake server, including the "+ " error challenge a refused token gets.
import { afterEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import { Pop3Client, type Pop3ConnectOptions } from '../../../../../src-main/protocols/pop3';
import {
  startFakePop3Server,
  type FakeHandler,
  type FakePop3Options,
  type FakePop3Server,
} from '../../../../support/fake-pop3-server';

const USER = 'alice@example.com';
const GOOD_TOKEN = 'ya29.good-token';
const TEST_TIMEOUTS = {
  connectMs: 3_000,
  greetingMs: 3_000,
  tlsHandshakeMs: 3_000,
  commandMs: 3_000,
  idleMs: 3_000,
};
const ERROR_JSON = '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}';

const servers: FakePop3Server[] = [];
const clients: Pop3Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The token in an XOAUTH2 or OAUTHBEARER initial response, or null when it is not well formed. */
function tokenIn(mechanism: string, base64: string): string | null {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  const pattern =
    mechanism === 'XOAUTH2'
      ? /^user=([^\u0001]+)\u0001auth=Bearer ([^\u0001]+)\u0001\u0001$/
      : /^n,a=([^,]+),\u0001auth=Bearer ([^\u0001]+)\u0001\u0001$/;
  const match = pattern.exec(text);
  return match !== null && match[1] === USER ? (match[2] ?? null) : null;
}

/**
 * A server's SASL token exchange as Dovecot and Gmail do it: an initial response on the AUTH line
 * or after an empty challenge; a bad token gets a "+ base64(JSON)" challenge, then -ERR.
 */
function tokenServer(mechanisms: string[]): Pick<FakePop3Options, 'capabilities' | 'handlers'> {
  let mechanism = '';
  let state: 'idle' | 'want-response' | 'want-error-ack' = 'idle';
  const check = (response: string, session: Parameters<FakeHandler>[1]): string => {
    if (tokenIn(mechanism, response) === GOOD_TOKEN) {
      session.isAuthenticated = true;
      state = 'idle';
      return '+OK Logged in.\r\n';
    }
    state = 'want-error-ack';
    return `+ ${Buffer.from(ERROR_JSON, 'utf8').toString('base64')}\r\n`;
  };
  return {
    capabilities: ['USER', 'UIDL', `SASL PLAIN ${mechanisms.join(' ')}`.trim()],
    handlers: {
      AUTH: (argument, session) => {
        const [name = '', response] = argument.split(' ');
        mechanism = name.toUpperCase();
        if (!mechanisms.includes(mechanism)) return '-ERR Unsupported authentication mechanism.\r\n';
        if (response === undefined) {
          state = 'want-response';
          return '+ \r\n';
        }
        return check(response, session);
      },
      '+': (line, session) => {
        if (state === 'want-response') return check(line, session);
        state = 'idle';
        const acknowledged = mechanism === 'XOAUTH2' ? line === '' : line === 'AQ==';
        return acknowledged ? '-ERR [AUTH] Authentication failed.\r\n' : '-ERR bad error acknowledgement\r\n';
      },
    },
  };
}

async function startServer(options: FakePop3Options): Promise<FakePop3Server> {
  const server = await startFakePop3Server({ username: USER, ...options });
  servers.push(server);
  return server;
}

async function connect(server: FakePop3Server, overrides: Partial<Pop3ConnectOptions>): Promise<Pop3Client> {
  const client = await Pop3Client.connect({
    host: server.host,
    port: server.port,
    security: 'none',
    username: USER,
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  });
  clients.push(client);
  return client;
}

async function mailError(promise: Promise<unknown>): Promise<MailError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

describe('Pop3Client signing in with an OAuth2 access token', { timeout: 15_000 }, () => {
  it('sends AUTH XOAUTH2 with the initial response on the AUTH line and reads mail afterwards', async () => {
    const server = await startServer({
      ...tokenServer(['XOAUTH2', 'OAUTHBEARER']),
      messages: ['Subject: hi\r\n\r\nHi.\r\n'],
    });
    const client = await connect(server, { accessToken: GOOD_TOKEN });
    expect(client.authMethod).toBe('sasl-xoauth2');
    const commands = server.sessions[0]?.commands ?? [];
    expect(commands[1]?.startsWith('AUTH XOAUTH2 ')).toBe(true);
    expect(tokenIn('XOAUTH2', commands[1]?.split(' ')[2] ?? '')).toBe(GOOD_TOKEN);
    expect(await client.stat()).toMatchObject({ count: 1 });
    await client.quit();
  });

  it('uses OAUTHBEARER when that is the only token mechanism offered', async () => {
    const server = await startServer(tokenServer(['OAUTHBEARER']));
    const client = await connect(server, { accessToken: GOOD_TOKEN });
    expect(client.authMethod).toBe('sasl-oauthbearer');
    expect(server.sessions[0]?.commands[1]?.startsWith('AUTH OAUTHBEARER ')).toBe(true);
  });

  it('answers the empty challenge with the response when a long token does not fit on the AUTH line', async () => {
    const longToken = `ya29.${'x'.repeat(400)}`;
    const server = await startServer(tokenServer(['XOAUTH2']));
    const error = await mailError(connect(server, { accessToken: longToken }));
    // The fake accepts only GOOD_TOKEN: the exchange went through both steps and was refused.
    expect(error.code).toBe('AUTH_FAILED');
    const commands = server.sessions[0]?.commands ?? [];
    expect(commands[1]).toBe('AUTH XOAUTH2');
    expect(tokenIn('XOAUTH2', commands[2] ?? '')).toBe(longToken);
    expect(commands[3]).toBe('');
  });

  it('reports a refused token as AUTH_FAILED with the server JSON in detail, never the token', async () => {
    const server = await startServer(tokenServer(['XOAUTH2']));
    const error = await mailError(connect(server, { accessToken: 'expired-token' }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/OAuth2/);
    expect(error.detail).toContain('"status":"401"');
    expect(error.detail).toContain('Authentication failed');
    expect(`${error.message} ${error.detail ?? ''}`).not.toContain('expired-token');
    // The challenge was answered with an empty line (RFC 7628 §3.2.3 for XOAUTH2), then -ERR.
    expect(
      server.sessions[0]?.commands.slice(1).map((line) => line.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['AUTH XOAUTH2', '']);
  });

  it('acknowledges an OAUTHBEARER error challenge with ^A (RFC 7628 §3.2.2)', async () => {
    const server = await startServer(tokenServer(['OAUTHBEARER']));
    const error = await mailError(connect(server, { accessToken: 'expired-token' }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.detail).toContain('Authentication failed');
    expect(server.sessions[0]?.commands[2]).toBe('AQ==');
  });

  it('refuses without sending the token when CAPA offers no token mechanism', async () => {
    const server = await startServer(tokenServer([]));
    const error = await mailError(connect(server, { accessToken: GOOD_TOKEN }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/does not accept browser sign-in/);
    expect(error.detail).toContain('PLAIN');
    const commands = server.sessions[0]?.commands ?? [];
    expect(commands.some((line) => line.startsWith('AUTH') || line.startsWith('USER'))).toBe(false);
  });

  it('refuses a token with a line break, and both or neither of password and token, without sending any', async () => {
    const server = await startServer(tokenServer(['XOAUTH2']));
    expect((await mailError(connect(server, { accessToken: 'a\r\nQUIT' }))).code).toBe('BAD_REQUEST');
    expect((await mailError(connect(server, { accessToken: GOOD_TOKEN, password: 'x' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await mailError(connect(server, {}))).code).toBe('BAD_REQUEST');
    expect(
      server.sessions.flatMap((session) => session.commands).some((line) => line.startsWith('AUTH')),
    ).toBe(false);
  });
});
