/**
 * A scripted POP3 server on 127.0.0.1 for the client's unit tests (RFC 1939 with CAPA, STLS,
 * SASL PLAIN, APOP). It keeps a mailbox shared by its sessions and applies a session's DELEs only
 * on QUIT, like a real server. Fault injection: -ERR on any command, no CAPA, no UIDL, a silent
 * greeting, replies written one byte at a time, a connection cut in the middle of a RETR body or
 * terminator, plain bytes injected after STLS, and per-command handlers for anything else.
 * It records every command line and how many commands were waiting unanswered at once, so tests
 * can see pipelining.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const LOOPBACK = '127.0.0.1';
/** A client line longer than this is a bug in the client under test; the session is dropped. */
const MAX_CLIENT_LINE = 8 * 1024;
const DEFAULT_CAPABILITIES = ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'SASL PLAIN'];

export interface TlsIdentity {
  key: string;
  cert: string;
}

/** What a handler writes back: raw bytes (include CRLF yourself), or null for no reply at all. */
export type FakeReply = string | Buffer | null;
export type FakeHandler = (argument: string, session: FakeSession) => FakeReply | Promise<FakeReply>;

export interface FakePop3Options {
  username?: string;
  password?: string;
  /** Raw messages (CRLF line ends; a final CRLF is added if missing), numbered from 1. */
  messages?: Array<string | Buffer>;
  /** UIDL ids per message; default "uid-<index>". */
  uids?: string[];
  /** CAPA lines; null makes CAPA answer -ERR (a pre-RFC 2449 server). STLS is added in 'stls' TLS mode. */
  capabilities?: string[] | null;
  /** Text after "+OK " in the greeting; null sends no greeting at all. */
  greeting?: string | null;
  /** A whole greeting line instead (e.g. "-ERR too many connections"). */
  greetingLine?: string;
  /** Verb (upper case) -> text of a -ERR sent instead of the normal reply. */
  failOn?: Partial<Record<string, string>>;
  /** UIDL answers -ERR (the command is unknown to this server). */
  omitUidl?: boolean;
  /** Write every reply one byte at a time (each byte its own write, TCP_NODELAY). */
  byteByByte?: boolean;
  /** Milliseconds to wait before each reply. */
  replyDelayMs?: number;
  /** Cut the connection during a RETR: after half the body, or after the body and the terminator's ".". */
  dropRetr?: 'mid-body' | 'mid-terminator';
  /** 'implicit': TLS from the first byte (pop3s); 'stls': plain until STLS (RFC 2595). */
  tls?: { mode: 'implicit' | 'stls'; identity: TlsIdentity };
  /** Plain bytes sent right after "+OK" to STLS (a response injection attack). */
  injectAfterStls?: string;
  /**
   * Verb (upper case) -> custom behaviour, run instead of the built-in one. When the AUTH handler
   * answers with a "+ " challenge, the client's next line goes to the handler named "+".
   */
  handlers?: Record<string, FakeHandler>;
}

interface StoredMessage {
  content: Buffer;
  uid: string;
  isRemoved: boolean;
}

export interface FakeSession {
  /** Every command line received, in order (passwords included: this is a test server). */
  readonly commands: string[];
  /** The most commands received and not yet answered at one moment (> 1 means pipelining). */
  maxPendingCommands: number;
  isAuthenticated: boolean;
  isSecure: boolean;
  sawQuit: boolean;
  /** Message numbers marked deleted in this session. */
  readonly deleted: Set<number>;
  /** The user name given to USER, waiting for PASS. */
  pendingUser: string | null;
  /** Writes raw bytes now (for handlers that reply in several steps). */
  send(data: string | Buffer): Promise<void>;
  /** Cuts the connection now. */
  drop(): void;
}

export interface FakePop3Server {
  readonly host: string;
  readonly port: number;
  readonly sessions: FakeSession[];
  /** The APOP timestamp the greeting carries. */
  readonly apopTimestamp: string;
  /** Messages still in the mailbox (deletions applied by QUIT are gone). */
  mailbox(): Buffer[];
  close(): Promise<void>;
}

export async function startFakePop3Server(options: FakePop3Options = {}): Promise<FakePop3Server> {
  const username = options.username ?? 'alice';
  const password = options.password ?? 'correct horse';
  const apopTimestamp = `<${process.pid}.${Date.now()}@fake.localhost>`;
  const store: StoredMessage[] = (options.messages ?? []).map((message, index) => ({
    content: withFinalCrlf(typeof message === 'string' ? Buffer.from(message, 'utf8') : message),
    uid: options.uids?.[index] ?? `uid-${index + 1}`,
    isRemoved: false,
  }));
  const sessions: FakeSession[] = [];
  const sockets = new Set<Socket>();

  const onConnection = (socket: Socket, isSecure: boolean): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const session: FakeSession = {
      commands: [],
      maxPendingCommands: 0,
      isAuthenticated: false,
      isSecure,
      sawQuit: false,
      deleted: new Set(),
      pendingUser: null,
      send: async () => undefined,
      drop: () => socket.destroy(),
    };
    sessions.push(session);
    // Messages as numbered for this session: a snapshot taken at connection (RFC 1939 §3).
    const visible = store.filter((message) => !message.isRemoved);
    runSession(socket, session, visible).catch(() => socket.destroy());
  };

  async function runSession(first: Socket, session: FakeSession, visible: StoredMessage[]): Promise<void> {
    let socket = first;
    let buffered = Buffer.alloc(0);
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let isClosed = false;
    let isProcessing = false;
    let saslWaiting = false;

    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let lf = buffered.indexOf(0x0a); lf >= 0; lf = buffered.indexOf(0x0a)) {
        queue.push(buffered.subarray(0, lf).toString('utf8').replace(/\r$/, ''));
        buffered = buffered.subarray(lf + 1);
      }
      if (buffered.length > MAX_CLIENT_LINE) socket.destroy();
      session.maxPendingCommands = Math.max(
        session.maxPendingCommands,
        queue.length + (isProcessing ? 1 : 0),
      );
      wake?.();
    };
    const listen = (target: Socket): void => {
      target.on('data', onData);
      target.on('close', () => {
        isClosed = true;
        wake?.();
      });
    };
    listen(socket);

    const nextLine = async (): Promise<string | null> => {
      while (queue.length === 0) {
        if (isClosed) return null;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      return queue.shift() ?? null;
    };
    const write = async (reply: FakeReply, isDelayed = true): Promise<void> => {
      if (reply === null || socket.destroyed) return;
      const bytes = typeof reply === 'string' ? Buffer.from(reply, 'utf8') : reply;
      if (isDelayed && options.replyDelayMs !== undefined) await sleep(options.replyDelayMs);
      if (!options.byteByByte) {
        await new Promise<void>((resolve) => socket.write(bytes, () => resolve()));
        return;
      }
      for (let i = 0; i < bytes.length && !socket.destroyed; i++) {
        await new Promise<void>((resolve) => socket.write(bytes.subarray(i, i + 1), () => resolve()));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    session.send = (data) => write(data, false);
    session.drop = () => socket.destroy();
    const ok = (text = ''): string => `+OK${text === '' ? '' : ` ${text}`}\r\n`;
    const err = (text: string): string => `-ERR ${text}\r\n`;
    const multi = (status: string, body: Buffer): Buffer =>
      Buffer.concat([Buffer.from(status), dotStuff(body), Buffer.from('.\r\n')]);
    const message = (argument: string): StoredMessage | null => {
      const number = Number(argument.split(' ')[0]);
      const found = visible[number - 1];
      return found === undefined || session.deleted.has(number) ? null : found;
    };
    const live = (): Array<[number, StoredMessage]> =>
      visible.map((m, i): [number, StoredMessage] => [i + 1, m]).filter(([n]) => !session.deleted.has(n));
    const checkPlain = (response: string): boolean => {
      const [authzid, authcid, secret] = Buffer.from(response, 'base64').toString('utf8').split('\u0000');
      return authzid === '' && authcid === username && secret === password;
    };
    const capabilities = (): string[] | null => {
      if (options.capabilities === null) return null;
      const lines = [...(options.capabilities ?? DEFAULT_CAPABILITIES)];
      if (options.tls?.mode === 'stls' && !session.isSecure) lines.push('STLS');
      return lines;
    };

    if (options.greeting !== null) {
      await write(options.greetingLine ?? ok(`${options.greeting ?? 'fake POP3 ready.'} ${apopTimestamp}`));
    }

    for (;;) {
      const line = await nextLine();
      if (line === null) return;
      isProcessing = true;
      session.commands.push(line);
      if (saslWaiting) {
        saslWaiting = false;
        const continuation = options.handlers?.['+'];
        if (continuation !== undefined) {
          // A handler's SASL exchange (e.g. XOAUTH2): it sees the client's answer to its "+ " challenge.
          const reply = await continuation(line, session);
          saslWaiting = isContinuation(reply);
          await write(reply);
        } else if (line === '*') await write(err('[AUTH] cancelled'));
        else if (checkPlain(line)) {
          session.isAuthenticated = true;
          await write(ok('logged in'));
        } else await write(err('[AUTH] Authentication failed.'));
        isProcessing = false;
        continue;
      }
      const space = line.indexOf(' ');
      const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
      const argument = space < 0 ? '' : line.slice(space + 1);
      const handler = options.handlers?.[verb];
      const failure = options.failOn?.[verb];
      const needsLogin = !['CAPA', 'STLS', 'USER', 'PASS', 'APOP', 'AUTH', 'QUIT', 'NOOP'].includes(verb);

      if (handler !== undefined) {
        const reply = await handler(argument, session);
        saslWaiting = verb === 'AUTH' && isContinuation(reply);
        await write(reply);
      } else if (failure !== undefined) {
        await write(err(failure));
      } else if (needsLogin && !session.isAuthenticated) {
        await write(err('log in first'));
      } else {
        switch (verb) {
          case 'CAPA': {
            const lines = capabilities();
            await write(
              lines === null
                ? err('unknown command')
                : multi(ok('Capability list follows'), crlfLines(lines)),
            );
            break;
          }
          case 'STLS': {
            if (options.tls?.mode !== 'stls' || session.isSecure) {
              await write(err('STLS not available'));
              break;
            }
            // Stop reading plain bytes (the ClientHello must reach the TLS socket), answer in one
            // write, and wrap the socket in the same tick.
            socket.off('data', onData);
            socket.pause();
            socket.write(ok('Begin TLS negotiation') + (options.injectAfterStls ?? ''));
            const secure = new TLSSocket(socket, {
              isServer: true,
              key: options.tls.identity.key,
              cert: options.tls.identity.cert,
            });
            secure.on('error', () => socket.destroy());
            socket = secure;
            session.isSecure = true;
            listen(secure);
            break;
          }
          case 'USER':
            session.pendingUser = argument;
            await write(ok('send PASS'));
            break;
          case 'PASS':
            if (session.pendingUser === username && argument === password) {
              session.isAuthenticated = true;
              await write(ok('logged in'));
            } else await write(err('[AUTH] Authentication failed.'));
            break;
          case 'APOP': {
            const [name, digest] = argument.split(' ');
            const expected = createHash('md5')
              .update(apopTimestamp + password)
              .digest('hex');
            if (name === username && digest === expected) {
              session.isAuthenticated = true;
              await write(ok('logged in'));
            } else await write(err('[AUTH] Authentication failed.'));
            break;
          }
          case 'AUTH': {
            const [mechanism, response] = argument.split(' ');
            if (mechanism?.toUpperCase() !== 'PLAIN') await write(err('unsupported mechanism'));
            else if (response === undefined) {
              saslWaiting = true;
              await write('+ \r\n');
            } else if (checkPlain(response)) {
              session.isAuthenticated = true;
              await write(ok('logged in'));
            } else await write(err('[AUTH] Authentication failed.'));
            break;
          }
          case 'STAT': {
            const messages = live();
            const size = messages.reduce((sum, [, m]) => sum + m.content.length, 0);
            await write(ok(`${messages.length} ${size}`));
            break;
          }
          case 'LIST':
            await write(multi(ok(), crlfLines(live().map(([n, m]) => `${n} ${m.content.length}`))));
            break;
          case 'UIDL':
            if (options.omitUidl) await write(err('unknown command'));
            else await write(multi(ok(), crlfLines(live().map(([n, m]) => `${n} ${m.uid}`))));
            break;
          case 'TOP': {
            const found = message(argument);
            const lines = Number(argument.split(' ')[1]);
            if (found === null || !Number.isInteger(lines)) await write(err('no such message'));
            else await write(multi(ok(), topOf(found.content, lines)));
            break;
          }
          case 'RETR': {
            const found = message(argument);
            if (found === null) {
              await write(err('no such message'));
            } else if (options.dropRetr !== undefined) {
              const stuffed = dotStuff(found.content);
              const partial =
                options.dropRetr === 'mid-body'
                  ? stuffed.subarray(0, Math.floor(stuffed.length / 2))
                  : Buffer.concat([stuffed, Buffer.from('.')]);
              await write(Buffer.concat([Buffer.from(ok(`${found.content.length} octets`)), partial]));
              socket.destroy();
              return;
            } else await write(multi(ok(`${found.content.length} octets`), found.content));
            break;
          }
          case 'DELE': {
            const number = Number(argument);
            if (message(argument) === null) await write(err('no such message'));
            else {
              session.deleted.add(number);
              await write(ok(`message ${number} deleted`));
            }
            break;
          }
          case 'RSET':
            session.deleted.clear();
            await write(ok());
            break;
          case 'NOOP':
            await write(ok());
            break;
          case 'QUIT':
            // RFC 1939 §6: only QUIT from the TRANSACTION state removes the messages marked deleted.
            session.sawQuit = true;
            if (session.isAuthenticated)
              for (const number of session.deleted) markRemoved(visible[number - 1]);
            await write(ok('bye'));
            socket.end();
            return;
          default:
            await write(err('unknown command'));
        }
      }
      isProcessing = false;
    }
  }

  const server: Server =
    options.tls?.mode === 'implicit'
      ? createTlsServer({ key: options.tls.identity.key, cert: options.tls.identity.cert }, (socket) =>
          onConnection(socket, true),
        )
      : createNetServer((socket) => onConnection(socket, false));
  // A failed handshake (the client refusing our certificate) is expected in tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake POP3 server: no TCP address');

  return {
    host: LOOPBACK,
    port: address.port,
    sessions,
    apopTimestamp,
    mailbox: () => store.filter((m) => !m.isRemoved).map((m) => m.content),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function markRemoved(message: StoredMessage | undefined): void {
  if (message !== undefined) message.isRemoved = true;
}

/** RFC 1939 §3: a line beginning with "." gets another "." in front. Assumes a final CRLF. */
export function dotStuff(content: Buffer): Buffer {
  const out: number[] = [];
  let atLineStart = true;
  for (const byte of content) {
    if (atLineStart && byte === 0x2e) out.push(0x2e);
    out.push(byte);
    atLineStart = byte === 0x0a;
  }
  return Buffer.from(out);
}

function withFinalCrlf(content: Buffer): Buffer {
  return content.length >= 2 && content[content.length - 2] === 0x0d && content[content.length - 1] === 0x0a
    ? content
    : Buffer.concat([content, Buffer.from('\r\n')]);
}

function crlfLines(lines: string[]): Buffer {
  return Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8');
}

/** RFC 1939 §7 TOP: the header, the blank line, and `lines` lines of the body. */
function topOf(content: Buffer, lines: number): Buffer {
  const headerEnd = content.indexOf('\r\n\r\n');
  if (headerEnd < 0) return content;
  let end = headerEnd + 4;
  for (let i = 0; i < lines && end < content.length; i++) {
    const lf = content.indexOf(0x0a, end);
    end = lf < 0 ? content.length : lf + 1;
  }
  return content.subarray(0, end);
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * A self-signed certificate for CN=localhost, valid for 127.0.0.1 and localhost for two days,
 * generated with openssl into `directory`.
 */
export async function generateSelfSignedIdentity(directory: string): Promise<TlsIdentity> {
  const keyPath = join(directory, 'key.pem');
  const certPath = join(directory, 'cert.pem');
  await promisify(execFile)(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-days',
      '2',
    ],
    { timeout: 30_000 },
  );
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
}

function isContinuation(reply: FakeReply): boolean {
  return reply !== null && reply.toString('latin1').startsWith('+ ');
}
