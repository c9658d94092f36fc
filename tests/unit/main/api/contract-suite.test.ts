/**
 * One contract suite, run over both transports: every API method behaves the same over Electron
 * IPC and over the browser-mode WebSocket, with real store files under a temp data dir, and every
 * result matches its schema in contract.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { methods, type MethodName, type ParamsOf, type ResultOf } from '../../../../src-main/api/contract';
import { ipcClient, webSocketClient, type TransportClient } from '../../../support/api-transports';
import { freePort } from '../../../support/free-port';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const EML = path.join(FIXTURES, 'eml', 'plain-utf8.eml');
const MBOX = path.join(FIXTURES, 'mbox', 'mboxrd-three.mbox');

/** Calls a method and checks the result against the contract's result schema. */
async function checked<M extends MethodName>(
  client: TransportClient,
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  const result = await client.call(method, params);
  const parsed = methods[method].result.safeParse(result);
  if (!parsed.success) throw new Error(`${method} result does not match its schema: ${parsed.error.message}`);
  return result;
}

async function importBytes(
  client: TransportClient,
  folderId: number,
  fileName: string,
  bytes: Buffer,
  format: 'eml' | 'mbox',
) {
  const { importId } = await checked(client, 'import.begin', {
    folderId,
    fileName,
    format,
    size: bytes.length,
  });
  // Odd-sized chunks: message boundaries must not depend on where the page cut the file.
  for (let offset = 0; offset < bytes.length; offset += 97) {
    await checked(client, 'import.chunk', {
      importId,
      data: bytes.subarray(offset, offset + 97).toString('base64'),
    });
  }
  return checked(client, 'import.finish', { importId });
}

const transports: Array<[string, () => Promise<TransportClient>]> = [
  ['Electron IPC', () => ipcClient({ chooseImportFiles: async () => [EML, MBOX] })],
  ['browser-mode WebSocket', () => webSocketClient()],
];

describe.each(transports)('API contract over %s', (_name, connect) => {
  let client: TransportClient;
  let inboxId: number;

  beforeAll(async () => {
    client = await connect();
  });
  afterAll(async () => {
    await client.close();
  });

  it('app.info names the mode', async () => {
    const info = await checked(client, 'app.info', {});
    expect(info.mode).toBe(client.name === 'ipc' ? 'electron' : 'browser');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('opens on Local Folders with Inbox, Drafts, Sent, Trash and nothing else', async () => {
    const accounts = await checked(client, 'accounts.list', {});
    expect(accounts).toEqual([
      { id: expect.any(Number), kind: 'local', displayName: 'Local Folders', email: null },
    ]);
    const folders = await checked(client, 'folders.list', {});
    expect(folders.map((f) => [f.name, f.role, f.total, f.unread])).toEqual([
      ['Inbox', 'inbox', 0, 0],
      ['Drafts', 'drafts', 0, 0],
      ['Sent', 'sent', 0, 0],
      ['Trash', 'trash', 0, 0],
    ]);
    inboxId = folders[0]?.id ?? 0;
    expect(await checked(client, 'messages.page', { folderId: inboxId, offset: 0, limit: 50 })).toEqual({
      total: 0,
      rows: [],
    });
  });

  it('imports an .eml in chunks and opens it with decoded headers and text', async () => {
    const result = await importBytes(client, inboxId, 'plain-utf8.eml', await readFile(EML), 'eml');
    expect(result).toMatchObject({ imported: 1, failed: 0 });
    const page = await checked(client, 'messages.page', { folderId: inboxId, offset: 0, limit: 50 });
    expect(page.total).toBe(1);
    const row = page.rows[0];
    expect(row?.subject).toBe('Café meeting tomorrow');
    expect(row?.from).toEqual({ name: 'Zoë Müller', address: 'zoe@example.org' });
    const view = await checked(client, 'message.open', { messageId: row?.id ?? 0 });
    expect(view.headers.subject).toBe('Café meeting tomorrow');
    expect(view.text).toContain('Shall we meet at the café tomorrow at 10?');
    expect(view.headers.to.map((a) => a.address)).toEqual(['alice@example.test', 'john@example.test']);
  });

  it('imports an mbox, reports progress to the end, and counts the messages', async () => {
    const result = await importBytes(client, inboxId, 'three.mbox', await readFile(MBOX), 'mbox');
    expect(result).toMatchObject({ imported: 3, failed: 0 });
    const page = await checked(client, 'messages.page', {
      folderId: inboxId,
      offset: 0,
      limit: 2,
      sort: { by: 'date', direction: 'desc' },
    });
    expect(page.total).toBe(4);
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0]!.date).toBeGreaterThanOrEqual(page.rows[1]!.date);
    const done = client.events.filter(
      (e) => e.event === 'import.progress' && (e.payload as { state: string }).state === 'done',
    );
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(client.events.some((e) => e.event === 'counts.changed')).toBe(true);
  });

  // Search (issue 8): local search with operators, gentle problems, rebuild with progress.
  it('search.run finds imported mail accent-insensitively, explains bad queries, and survives a rebuild', async () => {
    const run = (query: string) =>
      checked(client, 'search.run', { query, scope: { kind: 'all' }, order: 'date', offset: 0, limit: 50 });
    expect((await run('cafe')).rows.map((row) => row.subject)).toEqual(['Café meeting tomorrow']);
    const bad = await run('is:purple cafe');
    expect(bad.problems).toEqual([{ code: 'bad-value', operator: 'is', value: 'purple' }]);
    expect(bad.total).toBe(1);
    expect(bad.highlightTerms).toEqual(['cafe']);
    const inFolder = await checked(client, 'search.run', {
      query: 'from:muller',
      scope: { kind: 'folder', folderId: inboxId },
      offset: 0,
      limit: 10,
    });
    expect(inFolder.total).toBe(1);
    expect(await checked(client, 'search.server', { query: 'cafe', scope: { kind: 'all' } })).toEqual({
      found: 0,
      searchedFolders: 0,
      failures: [],
    });
    expect((await checked(client, 'search.rebuild', {})).queued).toBe(4);
    for (let i = 0; i < 100 && (await checked(client, 'search.status', {})).pending > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await run('cafe')).total).toBe(1);
    expect(client.events.some((e) => e.event === 'search.progress')).toBe(true);
    await expect(
      client.call('search.run', {
        query: 'x',
        scope: { kind: 'folder', folderId: 999_999 },
        offset: 0,
        limit: 1,
      }),
    ).rejects.toThrow(/NOT_FOUND/);
  });

  it('flags.set changes unread counts and announces them', async () => {
    const page = await checked(client, 'messages.page', { folderId: inboxId, offset: 0, limit: 50 });
    const unseen = page.rows.filter((r) => !r.isSeen).map((r) => r.id);
    expect(unseen.length).toBeGreaterThan(0);
    const before = (await checked(client, 'folders.list', {})).find((f) => f.id === inboxId);
    client.events.length = 0;
    expect(await checked(client, 'flags.set', { messageIds: unseen, flag: 'seen', value: true })).toEqual({
      changed: unseen.length,
    });
    const after = (await checked(client, 'folders.list', {})).find((f) => f.id === inboxId);
    expect(after?.unread).toBe((before?.unread ?? 0) - unseen.length);
    expect(client.events).toContainEqual({
      event: 'counts.changed',
      payload: { folders: [{ folderId: inboxId, unread: after?.unread, total: after?.total }] },
    });
  });

  it('answers bad requests with typed errors, never a crash', async () => {
    expect(await client.raw('no.such', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await client.raw('messages.page', { folderId: -4, offset: 0, limit: 5 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await client.raw('message.open', { messageId: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await client.raw('messages.page', { folderId: 999_999, offset: 0, limit: 5 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await client.raw('import.chunk', { importId: 'nope', data: 'AAAA' })).toMatchObject({ ok: false });
    expect(await client.raw('import.chunk', { importId: 'nope', data: 'not base64!' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    // Still alive afterwards.
    expect((await checked(client, 'accounts.list', {})).length).toBe(1);
  });

  it('import.cancel stops an import that is under way', async () => {
    const { importId } = await checked(client, 'import.begin', {
      folderId: inboxId,
      fileName: 'cancelled.mbox',
      format: 'mbox',
      size: 10,
    });
    expect(await checked(client, 'import.cancel', { importId })).toEqual({});
    expect(await client.raw('import.finish', { importId })).toMatchObject({ ok: false });
  });

  it('import.chooseFiles uses the native dialog in Electron and is refused in browser mode', async () => {
    const reply = await client.raw('import.chooseFiles', { folderId: inboxId });
    if (client.name === 'websocket') {
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      return;
    }
    expect(reply.ok).toBe(true);
    const results = reply.ok ? (reply.result as Array<{ imported: number }>) : [];
    expect(results.map((r) => r.imported)).toEqual([1, 3]);
    expect((await checked(client, 'messages.page', { folderId: inboxId, offset: 0, limit: 1 })).total).toBe(
      8,
    );
  });
  // ------------------------------------------------------------------ accounts.*
  const PASSWORD = 'Contract-Suite-Pw1';
  const setupFor = (email: string, protocol: 'imap' | 'pop3', port: number) => ({
    name: 'Ana Torres',
    email,
    incoming: { protocol, host: '127.0.0.1', port, security: 'tls' as const, username: email },
    outgoing: { host: '127.0.0.1', port, security: 'starttls' as const, username: email },
    pop3: { leaveOnServer: true },
  });
  let closedPort: number;

  it('accounts.discover answers from the built-in table for a big provider', async () => {
    closedPort = await freePort();
    const found = await checked(client, 'accounts.discover', { email: 'someone@gmail.com' });
    expect(found).toMatchObject({
      found: true,
      source: 'builtin',
      providerName: 'Gmail',
      oauth2Provider: 'google',
    });
    expect(found.incoming[0]).toEqual({
      protocol: 'imap',
      host: 'imap.gmail.com',
      port: 993,
      security: 'tls',
      username: 'someone@gmail.com',
    });
    expect(await client.raw('accounts.discover', { email: 'not an address' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('accounts.check says which server refused the connection, and never echoes the password', async () => {
    const result = await checked(client, 'accounts.check', {
      setup: setupFor('ana@example.test', 'imap', closedPort),
      password: PASSWORD,
    });
    expect(result.ok).toBe(false);
    expect(result.incoming).toMatchObject({
      role: 'incoming',
      protocol: 'imap',
      ok: false,
      kind: 'refused',
      port: closedPort,
    });
    expect(result.outgoing).toMatchObject({ role: 'outgoing', protocol: 'smtp', ok: false, kind: 'refused' });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(
      await client.raw('accounts.check', { setup: setupFor('ana@example.test', 'imap', closedPort) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    // Only a certificate a server really presented can be trusted.
    expect(
      await client.raw('accounts.trustCertificate', {
        host: '127.0.0.1',
        port: closedPort,
        fingerprint256: 'AB'.repeat(32),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  let pop3Id: number;

  it('accounts.create saves a POP3 account with its local folders, announces it, and keeps the password out of every file', async () => {
    client.events.length = 0;
    const account = await checked(client, 'accounts.create', {
      setup: setupFor('ana@example.test', 'pop3', 995),
      password: PASSWORD,
    });
    pop3Id = account.id;
    expect(account).toEqual({
      id: expect.any(Number),
      kind: 'pop3',
      displayName: 'ana@example.test',
      email: 'ana@example.test',
    });
    expect((await checked(client, 'accounts.list', {})).map((a) => a.kind)).toEqual(['local', 'pop3']);
    const folders = await checked(client, 'folders.list', { accountId: pop3Id });
    expect(folders.map((f) => f.role)).toEqual(['inbox', 'drafts', 'sent', 'trash']);
    expect(client.events).toContainEqual({ event: 'folders.changed', payload: { accountId: pop3Id } });
    expect(client.events).toContainEqual({ event: 'accounts.changed', payload: { accountId: pop3Id } });

    const details = await checked(client, 'accounts.get', { accountId: pop3Id });
    expect(details.setup).toMatchObject({
      name: 'Ana Torres',
      pop3: { leaveOnServer: true },
      incoming: { protocol: 'pop3', port: 995 },
    });
    expect(JSON.stringify(details)).not.toContain(PASSWORD);
    const files = await readdir(client.app.store.dataDir, { recursive: true, withFileTypes: true });
    for (const file of files.filter((entry) => entry.isFile())) {
      const bytes = await readFile(path.join(file.parentPath, file.name));
      expect(bytes.includes(PASSWORD), file.name).toBe(false);
      expect(bytes.includes(Buffer.from(PASSWORD).toString('base64')), file.name).toBe(false);
    }
    expect(
      await client.raw('accounts.create', {
        setup: setupFor('ana@example.test', 'pop3', 70_000),
        password: PASSWORD,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('accounts.update switches POP3 to IMAP and keeps the mail already here in Local Folders', async () => {
    const inbox = (await checked(client, 'folders.list', { accountId: pop3Id })).find(
      (f) => f.role === 'inbox',
    );
    await importBytes(client, inbox?.id ?? 0, 'plain-utf8.eml', await readFile(EML), 'eml');
    // A saved password is never sent to a new server unless typed again.
    expect(
      await client.raw('accounts.update', {
        accountId: pop3Id,
        setup: setupFor('ana@example.test', 'imap', 993),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await client.raw('accounts.check', {
        accountId: pop3Id,
        setup: setupFor('ana@example.test', 'pop3', closedPort),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const updated = await checked(client, 'accounts.update', {
      accountId: pop3Id,
      setup: setupFor('ana@example.test', 'imap', 993),
      password: PASSWORD,
    });
    expect(updated.kind).toBe('imap');
    expect(await checked(client, 'folders.list', { accountId: pop3Id })).toEqual([]);
    const local = (await checked(client, 'accounts.list', {})).find((a) => a.kind === 'local');
    const kept = (await checked(client, 'folders.list', { accountId: local?.id ?? 0 })).filter((f) =>
      f.path.startsWith('ana@example.test'),
    );
    expect(kept.map((f) => [f.path, f.role])).toContainEqual(['ana@example.test/Inbox', null]);
    expect(kept.find((f) => f.path === 'ana@example.test/Inbox')?.total).toBe(1);
  });

  it('accounts.remove deletes an account and, unless asked to keep it, its mail', async () => {
    const other = await checked(client, 'accounts.create', {
      setup: setupFor('bea@example.test', 'pop3', 995),
      password: PASSWORD,
    });
    const inbox = (await checked(client, 'folders.list', { accountId: other.id })).find(
      (f) => f.role === 'inbox',
    );
    await importBytes(client, inbox?.id ?? 0, 'plain-utf8.eml', await readFile(EML), 'eml');
    const page = await checked(client, 'messages.page', { folderId: inbox?.id ?? 0, offset: 0, limit: 1 });
    expect(await checked(client, 'accounts.remove', { accountId: other.id, keepLocalMail: false })).toEqual(
      {},
    );
    expect(await client.raw('message.open', { messageId: page.rows[0]?.id ?? 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await checked(client, 'accounts.remove', { accountId: pop3Id, keepLocalMail: true })).toEqual({});
    expect((await checked(client, 'accounts.list', {})).map((a) => a.kind)).toEqual(['local']);
    expect(await client.raw('accounts.get', { accountId: pop3Id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const local = (await checked(client, 'accounts.list', {}))[0];
    expect(
      await client.raw('accounts.remove', { accountId: local?.id ?? 0, keepLocalMail: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
