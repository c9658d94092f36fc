/**
 * Logging in: SASL PLAIN (RFC 5034 with RFC 4616), USER/PASS (RFC 1939 §7) or APOP (RFC 1939 §7)
 * with a password; SASL XOAUTH2 or OAUTHBEARER (RFC 7628) with an OAuth2 access token. The secret
 * lives only in this call; it is never kept, logged, or put into an error (the server's text is
 * redacted in case a broken server echoes it).
 */
import { createHash } from 'node:crypto';
import { MailError, assertNever } from '../../domain/errors';
import type { Pop3Capabilities } from './capabilities';
import type { Pop3Connection } from './connection';
import { OAUTHBEARER_ERROR_ACK, oauthBearerResponse, xoauth2Response } from './oauth2-sasl';
import { redact, serverReplyError, type Pop3Command } from './errors';
import type { StatusReply } from './reply-reader';

export type Pop3AuthMethod = 'auto' | 'user' | 'apop' | 'sasl-plain';
/** The method actually used to log in; the OAuth2 ones are chosen by the credentials, not asked for. */
export type Pop3AuthUsed = Exclude<Pop3AuthMethod, 'auto'> | Pop3TokenMechanism;
type Pop3TokenMechanism = 'sasl-xoauth2' | 'sasl-oauthbearer';

/** RFC 2449 §4: a command line is at most 255 octets including CRLF. */
const MAX_COMMAND_LINE_OCTETS = 255;

/** A password, or an OAuth2 access token (sent with XOAUTH2/OAUTHBEARER). */
export type Credentials = { username: string } & ({ password: string } | { accessToken: string });

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
): Exclude<Pop3AuthMethod, 'auto'> {
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

/**
 * With a token: XOAUTH2 when CAPA lists it (what Gmail and Outlook offer), else OAUTHBEARER. A
 * server without CAPA gets XOAUTH2 tried; one whose CAPA lists neither is not asked at all.
 */
export function chooseTokenMechanism(capabilities: Pop3Capabilities): Pop3TokenMechanism {
  if (!capabilities.isAdvertised || capabilities.saslMechanisms.includes('XOAUTH2')) return 'sasl-xoauth2';
  if (capabilities.saslMechanisms.includes('OAUTHBEARER')) return 'sasl-oauthbearer';
  throw new MailError(
    'AUTH_FAILED',
    'The mail server does not accept browser sign-in (OAuth2) for POP3. Use a password or IMAP for this account.',
    {
      detail: `SASL mechanisms offered: ${capabilities.saslMechanisms.join(' ') || 'none'}`,
      retryable: false,
    },
  );
}

export async function authenticate(
  context: AuthContext,
  credentials: Credentials,
  requested: Pop3AuthMethod,
): Promise<Pop3AuthUsed> {
  assertSafeArgument(credentials.username, 'user name');
  if ('accessToken' in credentials) {
    assertSafeArgument(credentials.accessToken, 'access token');
    const mechanism = chooseTokenMechanism(context.capabilities);
    await saslToken(context, credentials.username, credentials.accessToken, mechanism);
    return mechanism;
  }
  assertSafeArgument(credentials.password, 'password');
  const password = { username: credentials.username, password: credentials.password };
  const method = chooseAuthMethod(requested, context.capabilities, context.apopTimestamp);
  switch (method) {
    case 'sasl-plain':
      await saslPlain(context, password);
      break;
    case 'user':
      await userPass(context, password);
      break;
    case 'apop':
      await apop(context, password, context.apopTimestamp ?? '');
      break;
    default:
      return assertNever(method);
  }
  return method;
}

interface PasswordCredentials {
  username: string;
  password: string;
}

/**
 * RFC 5034 §4: "AUTH mechanism initial-response" when that fits in one command line; else
 * "AUTH mechanism", then the response as the answer to the server's empty challenge.
 */
async function sendInitialResponse(
  context: AuthContext,
  mechanism: string,
  response: string,
): Promise<StatusReply> {
  const inline = `AUTH ${mechanism} ${response}`;
  if (Buffer.byteLength(inline, 'utf8') + 2 <= MAX_COMMAND_LINE_OCTETS) return send(context, inline, 'AUTH');
  const reply = await send(context, `AUTH ${mechanism}`, 'AUTH');
  return reply.kind === 'continuation' ? send(context, response, 'AUTH') : reply;
}

/**
 * XOAUTH2 / OAUTHBEARER (RFC 7628 §3.2.3): a refused token gets a "+ " challenge carrying a
 * base64 JSON error; the client answers with an empty line (XOAUTH2) or ^A (OAUTHBEARER) and the
 * server then says -ERR. The JSON goes into the error's detail; the token never does.
 */
async function saslToken(
  context: AuthContext,
  username: string,
  accessToken: string,
  mechanism: Pop3TokenMechanism,
): Promise<void> {
  const response =
    mechanism === 'sasl-xoauth2'
      ? xoauth2Response(username, accessToken)
      : oauthBearerResponse(username, accessToken);
  const secrets = [accessToken, response];
  let reply = await sendInitialResponse(
    context,
    mechanism === 'sasl-xoauth2' ? 'XOAUTH2' : 'OAUTHBEARER',
    response,
  );
  let challenge = '';
  if (reply.kind === 'continuation') {
    challenge = decodedChallenge(reply.text);
    reply = await send(context, mechanism === 'sasl-xoauth2' ? '' : OAUTHBEARER_ERROR_ACK, 'AUTH');
    if (reply.kind === 'continuation') {
      // Still not finished: cancel (RFC 5034 §4) so the session is left in a known state.
      await send(context, '*', 'AUTH');
      throw tokenRefused(challenge, secrets);
    }
  }
  if (reply.kind === 'err') {
    const error = serverReplyError('AUTH', reply.text, secrets);
    throw error.code === 'AUTH_FAILED' ? tokenRefused(`${reply.text} ${challenge}`.trim(), secrets) : error;
  }
}

/** The server's JSON error ({"status":"401",...}) when the challenge is base64 of it; else the raw text. */
function decodedChallenge(text: string): string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+=*$/.test(trimmed)) return trimmed;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  return /^[\x20-\x7e]*$/.test(decoded) ? decoded : trimmed;
}

function tokenRefused(serverText: string, secrets: readonly string[]): MailError {
  return new MailError(
    'AUTH_FAILED',
    'The server did not accept the sign-in from the browser (OAuth2 token). Sign in again in Account settings.',
    { detail: redact(serverText, secrets), retryable: false },
  );
}

/** RFC 5034 §4: AUTH PLAIN with the initial response when it fits in one command line. */
async function saslPlain(context: AuthContext, credentials: PasswordCredentials): Promise<void> {
  const response = saslPlainResponse(credentials.username, credentials.password);
  const secrets = [credentials.password, response];
  const reply = await sendInitialResponse(context, 'PLAIN', response);
  if (reply.kind === 'continuation') {
    // PLAIN is one step; a further challenge means the server wants something else. "*" cancels
    // the exchange (RFC 5034 §4), after which the server answers -ERR.
    await send(context, '*', 'AUTH');
    throw serverReplyError('AUTH', reply.text, secrets);
  }
  if (reply.kind === 'err') throw serverReplyError('AUTH', reply.text, secrets);
}

/** RFC 1939 §7: USER name, then PASS string. */
async function userPass(context: AuthContext, credentials: PasswordCredentials): Promise<void> {
  const secrets = [credentials.password];
  const user = await send(context, `USER ${credentials.username}`, 'USER');
  if (user.kind !== 'ok') throw serverReplyError('USER', user.text, secrets);
  const pass = await send(context, `PASS ${credentials.password}`, 'PASS');
  if (pass.kind !== 'ok') throw serverReplyError('PASS', pass.text, secrets);
}

/** RFC 1939 §7: APOP name digest, digest = MD5(timestamp + password) in lower-case hex. */
async function apop(
  context: AuthContext,
  credentials: PasswordCredentials,
  timestamp: string,
): Promise<void> {
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
