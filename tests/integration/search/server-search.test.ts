/**
 * "Search on server" against real Dovecot: messages whose bodies were never downloaded (headers
 * only, as an IMAP account with a headers-only offline policy keeps them) are found by words in
 * their bodies through UID SEARCH, and join the local results; an account that cannot be reached
 * or signed in to is reported by name, without failing the search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Folder } from '../../../src-main/domain/folder';
import type { MessageId } from '../../../src-main/domain/ids';
import { append, type ImapSession } from '../../../src-main/protocols/imap';
import { BackgroundIndexer } from '../../../src-main/search/background-indexer';
import { LocalSearch, type SearchScope } from '../../../src-main/search/search-service';
import { ServerSearch, toServerCriterion } from '../../../src-main/search/server-search';
import { parseQuery } from '../../../src-main/search/query-parser';
import { HEADERS_ONLY_EML_PATH } from '../../../src-main/store/eml-files';
import { SqliteMailStore } from '../../../src-main/store/mail-store';
import { startMailServers, type MailServers } from '../../support/mail-servers';
import { buildTestMessage } from '../../support/seed-mailbox';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { newMessage } from '../../unit/main/store/store-fixture';
import { connectAs } from '../protocols/imap/imap-test-kit';

let servers: MailServers;
let dir: TempDir;
let store: SqliteMailStore;
let inbox: Folder;
const ids: Record<string, MessageId> = {};

const MAIL = {
  narwhal: { subject: 'Expedition notes', text: 'The narwhal sightings were frequent.\r\n' },
  budget: { subject: 'Budget numbers', text: 'Nothing about whales here.\r\n' },
  plan: { subject: 'Expedition plan', text: 'Tents, stoves and maps.\r\n' },
};

beforeAll(async () => {
  [servers, dir] = await Promise.all([startMailServers(), makeTempDir('estafeta-server-search-')]);
  const session: ImapSession = await connectAs(servers, 'alice');
  const uids: Record<string, number> = {};
  try {
    for (const [name, mail] of Object.entries(MAIL)) {
      const raw = buildTestMessage({ from: 'bob@example.test', to: 'alice@example.test', ...mail });
      const result = await append(session, 'INBOX', raw);
      uids[name] = result.uid ?? 0;
    }
  } finally {
    await session.logout();
  }
  store = SqliteMailStore.open(dir.path);
  const account = store.accounts.insert({
    kind: 'imap',
    displayName: 'alice@example.test',
    email: 'alice@example.test',
  });
  inbox = store.folders.insert({
    accountId: account.id,
    parentId: null,
    name: 'INBOX',
    path: 'INBOX',
    delimiter: '/',
    role: 'inbox',
  });
  // As the IMAP header sync stores them: a row per UID, no file, nothing indexed inline.
  let n = 0;
  for (const [name, mail] of Object.entries(MAIL)) {
    ids[name] = store.transaction(() =>
      store.messages.insert(
        newMessage(inbox, ++n, {
          subject: mail.subject,
          from: { name: '', address: 'bob@example.test' },
          emlPath: HEADERS_ONLY_EML_PATH,
          imapUid: uids[name],
        }),
      ),
    );
  }
  await new BackgroundIndexer(store).schedule();
});

afterAll(async () => {
  store?.close();
  await servers?.stop();
  await dir?.remove();
});

const ALL: SearchScope = { kind: 'all' };

function run(local: LocalSearch, query: string) {
  return local.run({ query, scope: ALL, order: 'date', offset: 0, limit: 50 });
}

describe('search on server', () => {
  it('finds by body words what only the server has, and merges it into the local results', async () => {
    const local = new LocalSearch(store);
    expect(run(local, 'narwhal').total).toBe(0);
    expect(run(local, 'narwhal').canSearchServer).toBe(true);
    const server = new ServerSearch(store, local, () => connectAs(servers, 'alice'));
    const outcome = await server.run('narwhal', ALL);
    expect(outcome).toEqual({ found: 1, searchedFolders: 1, failures: [] });
    const merged = run(local, 'narwhal');
    expect(merged.rows.map((row) => row.id)).toEqual([ids.narwhal]);
    expect(merged.serverMatches).toBe(1);
  });

  it('keeps the local matches and adds the server ones, newest first', async () => {
    const local = new LocalSearch(store);
    expect(run(local, 'expedition OR whales').rows.map((row) => row.id)).toEqual([ids.plan, ids.narwhal]);
    const server = new ServerSearch(store, local, () => connectAs(servers, 'alice'));
    expect((await server.run('expedition OR whales', ALL)).found).toBe(3);
    expect(run(local, 'expedition OR whales').rows.map((row) => row.id)).toEqual([
      ids.plan,
      ids.budget,
      ids.narwhal,
    ]);
  });

  it('sends flags, negation and header fields to the server', async () => {
    const local = new LocalSearch(store);
    const server = new ServerSearch(store, local, () => connectAs(servers, 'alice'));
    expect((await server.run('is:unread from:bob -narwhal subject:expedition', ALL)).found).toBe(1);
    expect(run(local, 'is:unread from:bob -narwhal subject:expedition').rows.map((r) => r.id)).toContain(
      ids.plan,
    );
    expect(toServerCriterion(parseQuery('to:carol').root!)).toEqual({
      kind: 'or',
      criteria: [
        { kind: 'text', field: 'to', value: 'carol' },
        { kind: 'text', field: 'cc', value: 'carol' },
      ],
    });
  });

  it('names the account it could not sign in to, and still answers', async () => {
    const local = new LocalSearch(store);
    const server = new ServerSearch(store, local, () =>
      connectAs(servers, 'alice', { auth: { password: 'wrong password' } }),
    );
    const outcome = await server.run('narwhal', ALL);
    expect(outcome.found).toBe(0);
    expect(outcome.searchedFolders).toBe(0);
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]).toMatch(/^alice@example\.test: /);
    expect(outcome.failures[0]).not.toContain('wrong password');
  });

  it('searches nothing on the server for a scope without IMAP folders', async () => {
    const local = new LocalSearch(store);
    const { folders } = store.ensureLocalFolders();
    const server = new ServerSearch(store, local, () => Promise.reject(new Error('must not connect')));
    const outcome = await server.run('narwhal', { kind: 'folder', folderId: folders[0]!.id });
    expect(outcome).toEqual({ found: 0, searchedFolders: 0, failures: [] });
  });
});
