// Managing accounts against real Dovecot: editing settings, removing an account with or without
// its mail, and switching a POP3 account to IMAP with "Upload the mail already here" (APPEND),
// which lands every message on the server exactly once, also after the connection was cut half
// way and after a confirmation that never arrived.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyVault } from '../../../src-main/accounts/vault';
import type { MethodName, ParamsOf, ResultOf } from '../../../src-main/api/contract';
import { composeApp, type ComposedApp } from '../../../src-main/app/compose';
import { RedactingLogger } from '../../../src-main/app/logger';
import { asAccountId, asMessageId } from '../../../src-main/domain/ids';
import { append, fetchHeadersNewestFirst, folderStatus, ImapSession } from '../../../src-main/protocols/imap';
import { UploadJournal, uploadJournalPath } from '../../../src-main/sync/account-switch';
import { summaryHeaders } from '../../../src-main/sync/imap-sync/header-rows';
import { startMailServers, type MailServers } from '../../support/mail-servers';
import { buildTestMessage } from '../../support/seed-mailbox';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { filesLeaking } from '../../unit/main/accounts/vault/vault-files';

let servers: MailServers;
let proxy: TcpProxy;
const temps: TempDir[] = [];

beforeAll(async () => {
  servers = await startMailServers();
  proxy = await startTcpProxy({ host: servers.host, port: servers.ports.imaps });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await servers?.stop();
  for (const temp of temps) await temp.remove();
});

interface Running {
  app: ComposedApp;
  dataDir: string;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  fail<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<{ code: string; message: string }>;
}

async function start(): Promise<Running> {
  const dataDir = await makeTempDir('estafeta-switch-');
  const keyDir = await makeTempDir('estafeta-switch-keys-');
  temps.push(dataDir, keyDir);
  const logger = new RedactingLogger({ logDir: path.join(dataDir.path, 'logs'), echo: false });
  const app = await composeApp({
    dataDir: dataDir.path,
    mode: 'browser',
    logger,
    filePicker: null,
    vault: new FileKeyVault({ dataDir: dataDir.path, keyDir: keyDir.path }),
    redactSecret: (secret) => logger.redact(secret),
  });
  const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    const reply = await app.dispatch(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as ResultOf<M>;
  };
  const fail = async <M extends MethodName>(method: M, params: ParamsOf<M>) => {
    const reply = await app.dispatch(method, params);
    if (reply.ok) throw new Error(`${method} succeeded`);
    return reply.error;
  };
  return { app, dataDir: dataDir.path, call, fail };
}

function setup(user: string, protocol: 'imap' | 'pop3', imapPort = servers.ports.imaps) {
  const email = servers.address(user);
  return {
    name: user,
    email,
    incoming: {
      protocol,
      host: servers.host,
      port: protocol === 'imap' ? imapPort : servers.ports.pop3s,
      security: 'tls' as const,
      username: email,
    },
    outgoing: {
      host: servers.host,
      port: servers.ports.submissions,
      security: 'tls' as const,
      username: email,
    },
    pop3: { leaveOnServer: true, deleteAfterDays: 14, deleteWhenDeletedHere: true },
  };
}

/** Connect, trust the test certificate for every server that presented it, connect again. */
async function trustServers(running: Running, accountSetup: ReturnType<typeof setup>): Promise<void> {
  const check = await running.call('accounts.check', { setup: accountSetup, password: servers.password });
  for (const outcome of [check.incoming, check.outgoing]) {
    if (outcome.certificate === null) continue;
    await running.call('accounts.trustCertificate', {
      host: outcome.host,
      port: outcome.port,
      fingerprint256: outcome.certificate.fingerprint256,
    });
  }
  expect(
    await running.call('accounts.check', { setup: accountSetup, password: servers.password }),
  ).toMatchObject({ ok: true });
}

async function importEml(running: Running, folderId: number, raw: Buffer): Promise<void> {
  const { importId } = await running.call('import.begin', {
    folderId,
    fileName: 'message.eml',
    format: 'eml',
    size: raw.length,
  });
  await running.call('import.chunk', { importId, data: raw.toString('base64') });
  const result = await running.call('import.finish', { importId });
  expect(result.imported).toBe(1);
}

function message(user: string, n: number): Buffer {
  return buildTestMessage({
    from: `Sender ${n} <sender${n}@example.org>`,
    to: servers.address(user),
    subject: `Kept message ${n}`,
    text: `Body of message ${n}\r\n`,
    messageId: `<kept-${user}-${n}@example.org>`,
    date: new Date(Date.UTC(2024, 0, 1 + n)),
  });
}

async function openImap(user: string): Promise<ImapSession> {
  return ImapSession.connect({
    host: servers.host,
    port: servers.ports.imaps,
    security: 'tls',
    username: servers.address(user),
    auth: { password: servers.password },
    trust: { extraCaPem: servers.caPem },
  });
}

/** Message-ID -> how many times it is in the server folder. */
async function serverMessageIds(user: string, folder: string): Promise<Map<string, number>> {
  const session = await openImap(user);
  const counts = new Map<string, number>();
  try {
    await fetchHeadersNewestFirst(session, folder, { batchSize: 500 }, (batch) => {
      for (const header of batch) {
        const id = summaryHeaders(header).messageId ?? '(none)';
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    });
  } finally {
    await session.logout();
  }
  return counts;
}

/** A POP3 account with `inbox` messages in its Inbox and `sent` in its Sent folder. */
async function pop3AccountWithMail(running: Running, user: string, inbox: number, sent: number) {
  await servers.addUser(user);
  const pop3 = setup(user, 'pop3');
  await trustServers(running, pop3);
  const account = await running.call('accounts.create', { setup: pop3, password: servers.password });
  const folders = await running.call('folders.list', { accountId: account.id });
  const inboxId = folders.find((folder) => folder.role === 'inbox')!.id;
  const sentId = folders.find((folder) => folder.role === 'sent')!.id;
  for (let n = 1; n <= inbox; n++) await importEml(running, inboxId, message(user, n));
  for (let n = inbox + 1; n <= inbox + sent; n++) await importEml(running, sentId, message(user, n));
  return account;
}

describe('account settings', () => {
  it('edits every setting, keeps identities, and gives the password only to a server it went to before', async () => {
    const running = await start();
    await servers.addUser('editor');
    const pop3 = setup('editor', 'pop3');
    await trustServers(running, pop3);
    const account = await running.call('accounts.create', { setup: pop3, password: servers.password });

    const edited = {
      ...pop3,
      name: 'Editor Renamed',
      pop3: { leaveOnServer: true, deleteAfterDays: 30, deleteWhenDeletedHere: false, checkEveryMinutes: 5 },
      signature: 'Regards',
      identities: [{ name: 'Work', email: 'work@example.test', signature: '-- Work' }],
    };
    const updated = await running.call('accounts.update', { accountId: account.id, setup: edited });
    expect(updated).toMatchObject({ id: account.id, kind: 'pop3', keptFolderId: null });
    const { setup: saved } = await running.call('accounts.get', { accountId: account.id });
    expect(saved).toMatchObject({
      name: 'Editor Renamed',
      pop3: { leaveOnServer: true, deleteAfterDays: 30, deleteWhenDeletedHere: false, checkEveryMinutes: 5 },
      signature: 'Regards',
      identities: [{ name: 'Work', email: 'work@example.test', signature: '-- Work' }],
      oauth2Provider: null,
    });

    // Another server without the password typed again: refused, nothing changed.
    const elsewhere = { ...edited, incoming: { ...edited.incoming, host: 'localhost' } };
    expect(await running.fail('accounts.update', { accountId: account.id, setup: elsewhere })).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('password'),
    });
    expect((await running.call('accounts.get', { accountId: account.id })).setup.incoming.host).toBe(
      servers.host,
    );
    await running.app.close();
  });

  it('removes an account keeping its mail in Local Folders, or with its mail', async () => {
    const running = await start();
    const kept = await pop3AccountWithMail(running, 'leaver', 2, 1);
    await running.call('accounts.remove', { accountId: kept.id, keepLocalMail: true });
    expect((await running.call('accounts.list', {})).map((a) => a.id)).not.toContain(kept.id);
    const local = (await running.call('accounts.list', {})).find((a) => a.kind === 'local')!;
    const localFolders = await running.call('folders.list', { accountId: local.id });
    const root = localFolders.find((folder) => folder.name === servers.address('leaver'))!;
    const under = localFolders.filter((folder) => folder.parentId === root.id);
    expect(under.reduce((sum, folder) => sum + folder.total, 0)).toBe(3);

    const dropped = await pop3AccountWithMail(running, 'dropper', 2, 0);
    const before = (await running.call('folders.list', {})).length;
    await running.call('accounts.remove', { accountId: dropped.id, keepLocalMail: false });
    expect((await running.call('folders.list', {})).length).toBe(before - 4);
    expect(await running.fail('accounts.get', { accountId: dropped.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await filesLeaking(running.dataDir, servers.password)).toEqual([]);
    await running.app.close();
  });
});

describe('switching a POP3 account to IMAP', () => {
  it('keeps the mail here and uploads it once, also after the connection was cut half way', async () => {
    const running = await start();
    const account = await pop3AccountWithMail(running, 'switcher', 8, 3);

    // Through the proxy, so the connection can be cut during the upload.
    const imap = setup('switcher', 'imap', proxy.port);
    await trustServers(running, imap);
    const switched = await running.call('accounts.update', {
      accountId: account.id,
      setup: imap,
      password: servers.password,
    });
    expect(switched.kind).toBe('imap');
    expect(switched.keptFolderId).not.toBeNull();
    const folderId = switched.keptFolderId!;
    // The mail of before is still here, in Local Folders.
    const kept = (await running.call('folders.list', {})).filter((folder) => folder.parentId === folderId);
    expect(kept.reduce((sum, folder) => sum + folder.total, 0)).toBe(11);

    const progress: Array<{ done: number; total: number }> = [];
    let cutDone = false;
    const unsubscribe = running.app.events.subscribe((event, payload) => {
      if (event !== 'sync.progress') return;
      const { phase, done, total } = payload as { phase: string; done: number; total: number };
      if (phase !== 'upload') return;
      progress.push({ done, total });
      if (done === 5 && !cutDone) {
        cutDone = true;
        proxy.cutAll();
      }
    });
    const cut = await running.fail('accounts.uploadLocalMail', { accountId: account.id, folderId });
    expect(cut.code).toMatch(/CONNECTION_LOST|CONNECT_FAILED|TIMEOUT/);

    const finished = await running.call('accounts.uploadLocalMail', { accountId: account.id, folderId });
    unsubscribe();
    expect(finished.total).toBe(11);
    expect(finished.uploaded + finished.alreadyThere).toBe(11);
    expect(finished.alreadyThere).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toEqual({ done: 11, total: 11 });

    const inbox = await serverMessageIds('switcher', 'INBOX');
    const sent = await serverMessageIds('switcher', 'Sent');
    expect([...inbox.keys()].sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `kept-switcher-${i + 1}@example.org`).sort(),
    );
    expect([...inbox.values()].every((count) => count === 1)).toBe(true);
    expect([...sent.keys()].sort()).toEqual([9, 10, 11].map((n) => `kept-switcher-${n}@example.org`).sort());
    expect([...sent.values()].every((count) => count === 1)).toBe(true);

    // Asking again sends nothing.
    expect(await running.call('accounts.uploadLocalMail', { accountId: account.id, folderId })).toEqual({
      total: 11,
      uploaded: 0,
      alreadyThere: 11,
    });
    expect((await serverMessageIds('switcher', 'INBOX')).size).toBe(8);

    // The record of what was uploaded goes with the account (a later account may reuse its id).
    const journal = uploadJournalPath(running.dataDir, asAccountId(account.id));
    await expect(access(journal)).resolves.toBeUndefined();
    await running.call('accounts.remove', { accountId: account.id, keepLocalMail: true });
    await expect(access(journal)).rejects.toThrow();
    await running.app.close();
  });

  it('does not send again a message whose APPEND reached the server but whose OK was lost', async () => {
    const running = await start();
    const account = await pop3AccountWithMail(running, 'lostok', 3, 0);
    const imap = setup('lostok', 'imap');
    await trustServers(running, imap);
    const { keptFolderId } = await running.call('accounts.update', {
      accountId: account.id,
      setup: imap,
      password: servers.password,
    });
    const keptInbox = (await running.call('folders.list', {})).find(
      (folder) => folder.parentId === keptFolderId && folder.name === 'Inbox',
    )!;
    const { rows } = await running.call('messages.page', { folderId: keptInbox.id, offset: 0, limit: 10 });
    const first = rows.find((row) => row.subject === 'Kept message 1')!;

    // What a run cut between the server storing the message and its OK arriving leaves behind.
    const session = await openImap('lostok');
    const { uidNext } = await folderStatus(session, 'INBOX');
    const journal = await UploadJournal.open(running.dataDir, asAccountId(account.id));
    await journal.appending(asMessageId(first.id), 'INBOX', uidNext);
    await append(session, 'INBOX', message('lostok', 1), ['\\Seen'], new Date());
    await session.logout();

    const summary = await running.call('accounts.uploadLocalMail', {
      accountId: account.id,
      folderId: keptFolderId!,
    });
    expect(summary).toEqual({ total: 3, uploaded: 2, alreadyThere: 1 });
    const inbox = await serverMessageIds('lostok', 'INBOX');
    expect(inbox.size).toBe(3);
    expect([...inbox.values()].every((count) => count === 1)).toBe(true);
    await running.app.close();
  });

  it('refuses to upload to a POP3 account or from another account folder', async () => {
    const running = await start();
    const account = await pop3AccountWithMail(running, 'refuser', 1, 0);
    const folders = await running.call('folders.list', { accountId: account.id });
    expect(
      await running.fail('accounts.uploadLocalMail', { accountId: account.id, folderId: folders[0]!.id }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    await running.app.close();
  });
});
