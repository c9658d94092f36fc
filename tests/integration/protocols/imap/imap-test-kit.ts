// Shared by the IMAP adapter's integration tests: sessions against the fixture's Dovecot, and a
// plain imapflow client that plays "another device" changing the mailbox behind our back.
import { X509Certificate } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { ImapSession, type ImapConnectOptions } from '../../../../src-main/protocols/imap';
import type { MailServers } from '../../../support/mail-servers';

export function connectOptions(
  servers: MailServers,
  user: string,
  overrides: Partial<ImapConnectOptions> = {},
): ImapConnectOptions {
  return {
    host: servers.host,
    port: servers.ports.imaps,
    security: 'tls',
    username: user,
    auth: { password: servers.password },
    trust: { extraCaPem: servers.caPem },
    clientInfo: { name: 'Estafeta tests', version: '0' },
    ...overrides,
  };
}

export function connectAs(
  servers: MailServers,
  user: string,
  overrides: Partial<ImapConnectOptions> = {},
): Promise<ImapSession> {
  return ImapSession.connect(connectOptions(servers, user, overrides));
}

/** A second, independent client: "another device" of the same user. */
export async function otherDevice(servers: MailServers, user: string): Promise<ImapFlow> {
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
  return client;
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

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
