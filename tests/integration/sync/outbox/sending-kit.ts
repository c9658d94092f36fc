// Shared by the sending tests: the app composed in-process on a data dir, an account set up
// through the API as the dialog does it (trusting the fixture's certificate), and an IMAP reader
// that looks at mailboxes as the recipient sees them.
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { FileKeyVault } from '../../../../src-main/accounts/vault';
import type { MethodName, ParamsOf, ResultOf } from '../../../../src-main/api/contract';
import { composeApp, type ComposedApp } from '../../../../src-main/app/compose';
import { RedactingLogger } from '../../../../src-main/app/logger';
import type { MailServers } from '../../../support/mail-servers';

export const WAIT_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 200;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningApp {
  app: ComposedApp;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** The WireError of a call expected to fail. */
  fail<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<{ code: string; message: string }>;
}

export async function startApp(dataDir: string, keyDir: string): Promise<RunningApp> {
  const logger = new RedactingLogger({ logDir: path.join(dataDir, 'logs'), echo: false });
  const app = await composeApp({
    dataDir,
    mode: 'browser',
    logger,
    filePicker: null,
    vault: new FileKeyVault({ dataDir, keyDir }),
    redactSecret: (secret) => logger.redact(secret),
    outboxRetryDelaysMs: [500, 1_000],
  });
  const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    const reply = await app.dispatch(method, params);
    if (!reply.ok)
      throw new Error(`${method}: ${reply.error.code} ${reply.error.message} ${reply.error.detail ?? ''}`);
    return reply.result as ResultOf<M>;
  };
  const fail = async <M extends MethodName>(method: M, params: ParamsOf<M>) => {
    const reply = await app.dispatch(method, params);
    if (reply.ok) throw new Error(`${method} succeeded`);
    return reply.error;
  };
  return { app, call, fail };
}

export function accountSetup(servers: MailServers, user: string, protocol: 'imap' | 'pop3' = 'imap') {
  const email = servers.address(user);
  return {
    name: `${user[0]?.toUpperCase()}${user.slice(1)} Ñandú`,
    email,
    incoming: {
      protocol,
      host: servers.host,
      port: protocol === 'imap' ? servers.ports.imaps : servers.ports.pop3s,
      security: 'tls' as const,
      username: email,
    },
    outgoing: {
      host: servers.host,
      port: servers.ports.submission,
      security: 'starttls' as const,
      username: email,
    },
  };
}

/** Creates the account as the dialog does: Connect, trust both certificates, Connect, save. */
export async function addAccount(
  running: RunningApp,
  servers: MailServers,
  user: string,
  options: { password?: string; protocol?: 'imap' | 'pop3' } = {},
): Promise<number> {
  const setup = accountSetup(servers, user, options.protocol);
  const check = await running.call('accounts.check', { setup, password: servers.password });
  for (const outcome of [check.incoming, check.outgoing]) {
    if (outcome.certificate) {
      await running.call('accounts.trustCertificate', {
        host: outcome.host,
        port: outcome.port,
        fingerprint256: outcome.certificate.fingerprint256,
      });
    }
  }
  const account = await running.call('accounts.create', {
    setup,
    password: options.password ?? servers.password,
  });
  return account.id;
}

/** Polls the outbox until `done` says so, bounded by WAIT_TIMEOUT_MS. */
export async function waitForOutbox(
  running: RunningApp,
  done: (items: ResultOf<'outbox.list'>) => boolean,
): Promise<ResultOf<'outbox.list'>> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const items = await running.call('outbox.list', {});
    if (done(items)) return items;
    if (Date.now() > deadline) throw new Error(`outbox not as expected: ${JSON.stringify(items)}`);
    await sleep(POLL_INTERVAL_MS);
  }
}

export function imapReader(servers: MailServers, user: string): ImapFlow {
  const client = new ImapFlow({
    host: servers.host,
    port: servers.ports.imaps,
    secure: true,
    auth: { user: servers.address(user), pass: servers.password },
    tls: { ca: servers.caPem },
    logger: false,
  });
  client.on('error', () => undefined);
  return client;
}

export interface FoundMessage {
  uid: number;
  source: Buffer;
  flags: Set<string>;
}

/** Messages in `mailbox` whose Subject contains `token`; waits until at least `atLeast` are there. */
export async function findBySubject(
  servers: MailServers,
  user: string,
  mailbox: string,
  token: string,
  atLeast = 1,
): Promise<FoundMessage[]> {
  const client = imapReader(servers, user);
  await client.connect();
  try {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    for (;;) {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const uids = (await client.search({ subject: token }, { uid: true })) || [];
        if (uids.length >= atLeast) {
          const found: FoundMessage[] = [];
          for (const uid of uids) {
            const message = await client.fetchOne(String(uid), { source: true, flags: true }, { uid: true });
            if (message && message.source)
              found.push({ uid, source: message.source, flags: message.flags ?? new Set() });
          }
          return found;
        }
      } finally {
        lock.release();
      }
      if (Date.now() > deadline) throw new Error(`"${token}" not ${atLeast}x in ${user}/${mailbox}`);
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
