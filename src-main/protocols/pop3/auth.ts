/**
 * Logging in: SASL PLAIN (RFC 5034 with RFC 4616), USER/PASS (RFC 1939 §7) or APOP (RFC 1939 §7).
 * The password lives only in this call; it is never kept, logged, or put into an error (the
 * server's text is redacted in case a broken server echoes it).
 */
import { createHash } from 'node:crypto';
import { MailError, assertNever } from '../../domain/errors';
import type { Pop3Capabilities } from './capabilities';
import type { Pop3Connection } from './connection';
import { serverReplyError, type Pop3Command } from './errors';
import type { StatusReply } from './reply-reader';

export type Pop3AuthMethod = 'auto' | 'user' | 'apop' | 'sasl-plain';
/** The method actually used to log in. */
export type Pop3AuthUsed = Exclude<Pop3AuthMethod, 'auto'>;

/** RFC 2449 §4: a command line is at most 255 octets including CRLF. */
const MAX_COMMAND_LINE_OCTETS = 255;

export interface Credentials {
  username: string;
  password: string;
}

export interface AuthContext {
  connection: Pop3Connection;
  capabilities: Pop3Capabilities;
  /** The RFC 1939 §7 timestamp from the greeting ("<pid.clock@host>"), if there was one. */
  apopTimestamp: string | null;
  commandTimeoutMs: number;
}

/**
 * 'auto' picks SASL PLAIN when CAPA lists it (RFC 5034 §6), else USER/PASS. APOP is only used when
 * asked for: it needs the server to store the password in the clear, and MD5.
 */
export function chooseAuthMethod(
  requested: Pop3AuthMethod,
  capabilities: Pop3Capabilities,
  apopTimestamp: string | null,
): Pop3AuthUsed {
  switch (requested) {
    case 'auto':
      return capabilities.saslMechanisms.includes('PLAIN') ? 'sasl-plain' : 'user';
    case 'apop':
      if (apopTimestamp === null) throw notOffered('APOP (the greeting carries no APOP timestamp)');
      return 'apop';
    case 'sasl-plain':
      // Without CAPA we cannot know, so we try; with CAPA the server must list it.
      if (capabilities.isAdvertised && !capabilities.saslMechanisms.includes('PLAIN')) {
        throw notOffered('SASL PLAIN');
      }
      return 'sasl-plain';
    case 'user':
      return 'user';
    default:
      return assertNever(requested);
  }
}

export async function authenticate(
  context: AuthContext,
  credentials: Credentials,
  requested: Pop3AuthMethod,
): Promise<Pop3AuthUsed> {
  assertSafeArgument(credentials.username, 'user name');
  assertSafeArgument(credentials.password, 'password');
  const method = chooseAuthMethod(requested, context.capabilities, context.apopTimestamp);
  switch (method) {
    case 'sasl-plain':
      await saslPlain(context, credentials);
      break;
    case 'user':
      await userPass(context, credentials);
      break;
    case 'apop':
      await apop(context, credentials, context.apopTimestamp ?? '');
      break;
    default:
      return assertNever(method);
  }
  return method;
}

/** RFC 5034 §4: AUTH PLAIN with the initial response when it fits in one command line. */
async function saslPlain(context: AuthContext, credentials: Credentials): Promise<void> {
  const response = saslPlainResponse(credentials.username, credentials.password);
  const secrets = [credentials.password, response];
  const inline = `AUTH PLAIN ${response}`;
  let reply: StatusReply;
  if (Buffer.byteLength(inline, 'utf8') + 2 <= MAX_COMMAND_LINE_OCTETS) {
    reply = await send(context, inline, 'AUTH');
  } else {
    // Too long to send inline: answer the server's empty challenge instead (RFC 5034 §4).
    reply = await send(context, 'AUTH PLAIN', 'AUTH');
    if (reply.kind === 'continuation') reply = await send(context, response, 'AUTH');
  }
  if (reply.kind === 'continuation') {
    // PLAIN is one step; a further challenge means the server wants something else. "*" cancels
    // the exchange (RFC 5034 §4), after which the server answers -ERR.
    await send(context, '*', 'AUTH');
    throw serverReplyError('AUTH', reply.text, secrets);
  }
  if (reply.kind === 'err') throw serverReplyError('AUTH', reply.text, secrets);
}

/** RFC 1939 §7: USER name, then PASS string. */
async function userPass(context: AuthContext, credentials: Credentials): Promise<void> {
  const secrets = [credentials.password];
  const user = await send(context, `USER ${credentials.username}`, 'USER');
  if (user.kind !== 'ok') throw serverReplyError('USER', user.text, secrets);
  const pass = await send(context, `PASS ${credentials.password}`, 'PASS');
  if (pass.kind !== 'ok') throw serverReplyError('PASS', pass.text, secrets);
}

/** RFC 1939 §7: APOP name digest, digest = MD5(timestamp + password) in lower-case hex. */
async function apop(context: AuthContext, credentials: Credentials, timestamp: string): Promise<void> {
  const digest = apopDigest(timestamp, credentials.password);
  const reply = await send(context, `APOP ${credentials.username} ${digest}`, 'APOP');
  if (reply.kind !== 'ok') throw serverReplyError('APOP', reply.text, [credentials.password, digest]);
}

async function send(context: AuthContext, line: string, command: Pop3Command): Promise<StatusReply> {
  context.connection.writeLine(line);
  return context.connection.readStatus(context.commandTimeoutMs, command);
}

export function apopDigest(timestamp: string, password: string): string {
  return createHash('md5').update(`${timestamp}${password}`, 'utf8').digest('hex');
}

/** RFC 4616 §2: base64 of authzid NUL authcid NUL passwd, with an empty authzid. */
export function saslPlainResponse(username: string, password: string): string {
  return Buffer.from(`\u0000${username}\u0000${password}`, 'utf8').toString('base64');
}

/**
 * RFC 1939 §4: the greeting may carry a timestamp in msg-id form, "<process-ID.clock@hostname>",
 * which APOP hashes with the password.
 */
export function extractApopTimestamp(greetingText: string): string | null {
  return /<[^<>\s@]+@[^<>\s]+>/.exec(greetingText)?.[0] ?? null;
}

/** A CR, LF or NUL in an argument would end the command early and let the rest pose as another. */
function assertSafeArgument(value: string, what: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new MailError(
      'BAD_REQUEST',
      `The ${what} contains a line break or NUL character, which POP3 cannot send.`,
      {
        retryable: false,
      },
    );
  }
}

function notOffered(method: string): MailError {
  return new MailError('SERVER_REJECTED', `The mail server does not offer the sign-in method ${method}.`, {
    retryable: false,
  });
}
