// Offline and failure: with Dovecot stopped the account shows 'offline' with the reason, every
// downloaded message still opens through the API, and the engine reconnects by itself with
// growing delays and loses or duplicates nothing; wrong password, unknown host, refused port and
// TLS failures each give their own clear status; the offline policies keep what they promise.
import { rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyVault } from '../../../../src-main/accounts/vault';
import type { MethodName, ParamsOf, ResultOf } from '../../../../src-main/api/contract';
import { composeApp, type ComposedApp } from '../../../../src-main/app/compose';
import { RedactingLogger } from '../../../../src-main/app/logger';
import { freePorts } from '../../../support/free-port';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { buildTestMessage, deliverViaLmtp, seedMailbox } from '../../../support/seed-mailbox';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';
import {
  openImapSyncKit,
  otherDevice,
  serverMessages,
  statusOf,
  storedMessages,
  waitFor,
  type ImapSyncKit,
} from './imap-sync-kit';

const SEEDED = 60;
const STATUS_BOUND_MS = 30_000;

let servers: MailServers;
let device: ImapFlow;

beforeAll(async () => {
  servers = await startMailServers();
  await seedMailbox(servers, 'alice', SEEDED);
  device = await otherDevice(servers, 'alice');
});

afterAll(async () => {
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

async function statusAfterFirstAttempt(kit: ImapSyncKit) {
  await waitFor('a failed status', STATUS_BOUND_MS, () => ['offline', 'error'].includes(statusOf(kit).state));
  return statusOf(kit);
}

describe('connection failures give clear statuses', () => {
  it('wrong password: error, naming the user name or password', async () => {
    const kit = await openImapSyncKit(servers, { password: 'not-the-password' });
    try {
      const status = await statusAfterFirstAttempt(kit);
      expect(status.state).toBe('error');
      expect(status.message).toMatch(/user name or password/);
    } finally {
      await kit.dispose();
    }
  });

  it('unknown server name: offline, the name could not be found', async () => {
    const kit = await openImapSyncKit(servers, { host: 'no-such-host.invalid' });
    try {
      const status = await statusAfterFirstAttempt(kit);
      expect(status.state).toBe('offline');
      expect(status.message).toMatch(/could not be found/);
    } finally {
      await kit.dispose();
    }
  });

  it('refused connection: offline, could not connect', async () => {
    const [closedPort] = await freePorts(1);
    const kit = await openImapSyncKit(servers, { port: closedPort });
    try {
      const status = await statusAfterFirstAttempt(kit);
      expect(status.state).toBe('offline');
      expect(status.message).toMatch(/Could not connect/);
    } finally {
      await kit.dispose();
    }
  });

  it('TLS spoken to a plain-text port: a secure connection could not be established', async () => {
    const kit = await openImapSyncKit(servers, { port: servers.ports.imap, security: 'tls' });
    try {
      const status = await statusAfterFirstAttempt(kit);
      expect(status.message).toMatch(/secure connection .* could not be established/);
    } finally {
      await kit.dispose();
    }
  });

  it('a certificate nobody trusted: error, naming the untrusted certificate', async () => {
    const kit = await openImapSyncKit(servers, { systemTrustOnly: true });
    try {
      const status = await statusAfterFirstAttempt(kit);
      expect(status.state).toBe('error');
      expect(status.message).toMatch(/security certificate is self-signed, so it cannot be verified/);
    } finally {
      await kit.dispose();
    }
  });
});

describe('offline policies', () => {
  it('"headers only" keeps no body until the message is opened', async () => {
    const kit = await openImapSyncKit(servers, { imap: { offline: 'headers', days: null } });
    try {
      await kit.engines.checkNow(kit.accountId);
      const rows = [...kit.rowsOf('INBOX').values()];
      expect(rows).toHaveLength(SEEDED);
      expect(rows.every((row) => row.emlPath === '')).toBe(true);
      const newest = rows.sort((a, b) => (b.imapUid ?? 0) - (a.imapUid ?? 0))[0];
      if (!newest) throw new Error('no rows');
      await kit.engines.ensureBody(newest.id);
      const opened = kit.store.messages.get(newest.id);
      expect(opened?.emlPath).not.toBe('');
      const lock = await device.getMailboxLock('INBOX');
      try {
        const source = await device.fetchOne(String(newest.imapUid), { source: true }, { uid: true });
        const bytes = await kit.store.emlFiles.read(opened?.emlPath ?? '');
        expect(source && bytes.equals(source.source ?? Buffer.alloc(0))).toBe(true);
      } finally {
        lock.release();
      }
    } finally {
      await kit.dispose();
    }
  });

  it('"last N days" keeps bodies of recent messages only', async () => {
    const days = 365;
    const kit = await openImapSyncKit(servers, { imap: { offline: 'days', days } });
    try {
      await kit.engines.checkNow(kit.accountId);
      const since = Date.now() - days * 24 * 60 * 60 * 1000;
      const rows = [...kit.rowsOf('INBOX').values()];
      const recent = rows.filter((row) => row.date >= since);
      const older = rows.filter((row) => row.date < since);
      expect(recent.length).toBeGreaterThan(0);
      expect(older.length).toBeGreaterThan(0);
      expect(recent.every((row) => row.emlPath !== '')).toBe(true);
      expect(older.every((row) => row.emlPath === '')).toBe(true);
    } finally {
      await kit.dispose();
    }
  });
});

/** The message's full source as the server has it. */
async function serverSource(uid: number | null): Promise<Buffer> {
  const client = await otherDevice(servers, 'alice'); // a stopped server ends earlier sessions
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const row = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (!row || !row.source) throw new Error(`UID ${uid} is not on the server`);
      return row.source;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}

describe('body files are a cache of the server copy (written without fsync)', () => {
  it('a body file cut short or lost in a crash is found when the message is opened, and downloaded again', async () => {
    const kit = await openImapSyncKit(servers);
    try {
      await kit.engines.checkNow(kit.accountId);
      const rows = [...kit.rowsOf('INBOX').values()].sort((a, b) => (b.imapUid ?? 0) - (a.imapUid ?? 0));
      const [short, lost, intact, tornOffline] = rows;
      if (!short || !lost || !intact || !tornOffline) throw new Error('too few rows');
      expect(rows.every((row) => row.emlPath !== '')).toBe(true);
      const fileOf = (row: { emlPath: string }) => kit.store.emlFiles.absolutePath(row.emlPath);
      // What a power cut can leave of a file that was never fsynced: a short file, or none.
      await truncate(fileOf(short), Math.floor(short.size / 2));
      await rm(fileOf(lost));

      for (const damaged of [short, lost]) {
        await kit.engines.ensureBody(damaged.id);
        const now = kit.store.messages.get(damaged.id);
        if (!now) throw new Error('row gone');
        expect(now.emlPath).not.toBe('');
        expect(now.emlPath).not.toBe(damaged.emlPath);
        const bytes = await kit.store.emlFiles.read(now.emlPath);
        expect(bytes.equals(await serverSource(damaged.imapUid))).toBe(true);
        expect(now.size).toBe(bytes.length);
        await expect(stat(fileOf(damaged))).rejects.toMatchObject({ code: 'ENOENT' });
      }
      // A whole file is read as it is.
      await kit.engines.ensureBody(intact.id);
      expect(kit.store.messages.get(intact.id)?.emlPath).toBe(intact.emlPath);

      // Torn, and the server cannot be reached: the user is told so rather than shown half a message.
      await truncate(fileOf(tornOffline), 0);
      await servers.stopDovecot();
      try {
        await expect(kit.engines.ensureBody(tornOffline.id)).rejects.toThrow(/cannot be reached/);
        expect(kit.store.messages.get(tornOffline.id)?.emlPath).toBe(tornOffline.emlPath);
      } finally {
        await servers.startDovecot();
      }
      await kit.engines.ensureBody(tornOffline.id);
      const repaired = kit.store.messages.get(tornOffline.id);
      const bytes = await kit.store.emlFiles.read(repaired?.emlPath ?? '');
      expect(bytes.equals(await serverSource(tornOffline.imapUid))).toBe(true);
    } finally {
      await kit.dispose();
    }
  });
});

describe('server stopped and started again', () => {
  it('goes offline with a reason, then reconnects by itself and loses or duplicates nothing', async () => {
    const kit = await openImapSyncKit(servers);
    try {
      await kit.engines.checkNow(kit.accountId);
      expect(statusOf(kit).state).toBe('idle');
      await servers.stopDovecot();
      try {
        await waitFor('offline', STATUS_BOUND_MS, () => statusOf(kit).state === 'offline');
        expect(statusOf(kit).message).toMatch(/connect|lost/i);
        // Downloaded mail stays readable.
        const row = [...kit.rowsOf('INBOX').values()][0];
        expect((await kit.store.emlFiles.read(row?.emlPath ?? '')).length).toBeGreaterThan(0);
      } finally {
        await servers.startDovecot();
      }
      await deliverViaLmtp(
        servers,
        'alice',
        buildTestMessage({
          from: 'a@example.test',
          to: servers.address('alice'),
          subject: 'While away',
          text: 'Hi\r\n',
          messageId: '<away-1@example.test>',
        }),
      );
      // No checkNow: the retry timer reconnects.
      await waitFor('back in sync', STATUS_BOUND_MS, () =>
        [...kit.rowsOf('INBOX').values()].some((r) => r.messageIdHeader === 'away-1@example.test'),
      );
      await kit.engines.checkNow(kit.accountId);
      expect(statusOf(kit)).toMatchObject({ state: 'idle', message: null });
      const fresh = await otherDevice(servers, 'alice');
      try {
        expect(storedMessages(kit, 'INBOX')).toEqual(await serverMessages(fresh, 'INBOX'));
      } finally {
        await fresh.logout().catch(() => undefined);
      }
    } finally {
      await kit.dispose();
    }
  });
});

describe('through the API (composeApp)', () => {
  let dataDir: TempDir;
  let keyDir: TempDir;
  let app: ComposedApp;

  const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    const reply = await app.dispatch(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as ResultOf<M>;
  };

  beforeAll(async () => {
    [dataDir, keyDir] = await Promise.all([
      makeTempDir('estafeta-imap-api-'),
      makeTempDir('estafeta-imap-api-keys-'),
    ]);
    const logger = new RedactingLogger({ logDir: path.join(dataDir.path, 'logs'), echo: false });
    app = await composeApp({
      dataDir: dataDir.path,
      mode: 'browser',
      logger,
      filePicker: null,
      vault: new FileKeyVault({ dataDir: dataDir.path, keyDir: keyDir.path }),
      redactSecret: (secret) => logger.redact(secret),
    });
  });

  afterAll(async () => {
    await app?.close();
    await dataDir?.remove();
    await keyDir?.remove();
  });

  it('syncs a new account, and opens its downloaded mail with the server stopped', async () => {
    const email = servers.address('alice');
    const setup = {
      name: 'Alice',
      email,
      incoming: {
        protocol: 'imap' as const,
        host: servers.host,
        port: servers.ports.imaps,
        security: 'tls' as const,
        username: 'alice',
      },
      outgoing: {
        host: servers.host,
        port: servers.ports.submissions,
        security: 'tls' as const,
        username: 'alice',
      },
    };
    const check = await call('accounts.check', { setup, password: servers.password });
    const certificate = check.incoming.certificate;
    if (certificate) {
      await call('accounts.trustCertificate', {
        host: servers.host,
        port: servers.ports.imaps,
        fingerprint256: certificate.fingerprint256,
      });
    }
    const account = await call('accounts.create', { setup, password: servers.password });
    await call('mail.check', { accountId: account.id });
    const statuses = await call('sync.status', {});
    expect(statuses.find((s) => s.accountId === account.id)).toMatchObject({ state: 'idle', message: null });
    const folders = await call('folders.list', { accountId: account.id });
    const inbox = folders.find((f) => f.role === 'inbox');
    const fresh = await otherDevice(servers, 'alice'); // the earlier stop ended `device`
    try {
      expect(inbox?.total).toBe((await serverMessages(fresh, 'INBOX')).size);
    } finally {
      await fresh.logout().catch(() => undefined);
    }

    const page = await call('messages.page', { folderId: inbox?.id ?? 0, offset: 0, limit: 10 });
    await servers.stopDovecot();
    try {
      await call('mail.check', { accountId: account.id });
      const offline = (await call('sync.status', {})).find((s) => s.accountId === account.id);
      expect(offline?.state).toBe('offline');
      expect(offline?.message).toMatch(/connect/i);
      for (const row of page.rows) {
        const view = await call('message.open', { messageId: row.id });
        expect(view).toBeTruthy();
      }
    } finally {
      await servers.startDovecot();
    }
  });
});
