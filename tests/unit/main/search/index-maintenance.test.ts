import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageId } from '../../../../src-main/domain/ids';
import { BackgroundIndexer, type IndexProgress } from '../../../../src-main/search/background-indexer';
import { LocalSearch } from '../../../../src-main/search/search-service';
import { openDatabase } from '../../../../src-main/store/db';
import { HEADERS_ONLY_EML_PATH } from '../../../../src-main/store/eml-files';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import { MIGRATIONS } from '../../../../src-main/store/migrations/index';
import { newMessage } from '../store/store-fixture';
import { openSearchFixture, type SearchFixture } from './search-fixture';

let fx: SearchFixture;
let search: LocalSearch;
let progress: IndexProgress[];
let indexer: BackgroundIndexer;

beforeEach(async () => {
  fx = await openSearchFixture();
  search = new LocalSearch(fx.store);
  progress = [];
  indexer = new BackgroundIndexer(fx.store, (p) => progress.push(p));
});
afterEach(async () => {
  await indexer.stop();
  await fx.dispose();
});

/** Total and ids of a query over all mail (a pure word query counts from the index alone). */
function find(query: string): { total: number; ids: number[] } {
  const result = search.run({ query, scope: { kind: 'all' }, order: 'date', offset: 0, limit: 100 });
  return { total: result.total, ids: result.rows.map((row) => row.id) };
}

const RAW = (subject: string, body: string): Buffer =>
  Buffer.from(
    `From: Nadia Ørsted <nadia@example.test>\r\nTo: me@example.test\r\nSubject: ${subject}\r\n` +
      `Date: Tue, 05 Mar 2024 10:00:00 +0000\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.test>\r\n` +
      `Content-Type: text/html; charset=utf-8\r\n\r\n<p>${body}</p>\r\n`,
  );

/** Stores a message the way a path that does not index inline does (an IMAP sync, a copy). */
async function storeUnindexed(subject: string, body: string, overrides = {}): Promise<MessageId> {
  const emlPath = await fx.store.emlFiles.write(RAW(subject, body));
  return fx.store.transaction(() =>
    fx.store.messages.insert(
      newMessage(fx.inbox, 900, { subject, emlPath, messageIdHeader: null, ...overrides }),
    ),
  );
}

describe('index maintenance', () => {
  it('indexes new mail stored without inline indexing, body text from its HTML included', async () => {
    const id = await storeUnindexed('Quarterly fjord survey', 'The <b>glacier</b> measurements are in.');
    expect(fx.store.search.pendingCount()).toBe(1);
    expect(find('glacier').total).toBe(0);
    await indexer.schedule();
    expect(find('glacier')).toEqual({ total: 1, ids: [id] });
    expect(find('fjord survey').ids).toEqual([id]);
    expect(fx.store.search.pendingCount()).toBe(0);
    expect(progress.at(-1)).toEqual({ done: 1, total: 1, state: 'done' });
  });

  it('leaves nothing pending for mail indexed inline (import, POP3)', () => {
    expect(fx.store.search.pendingCount()).toBe(0);
  });

  it('keeps a message findable after a move, in its new folder only', () => {
    fx.store.transaction(() => fx.store.mailActions.move([fx.ids.cancion!], fx.trash.id));
    expect(find('cancion').ids).toEqual([fx.ids.cancion]);
    const inTrash = search.run({
      query: 'cancion',
      scope: { kind: 'folder', folderId: fx.trash.id },
      order: 'date',
      offset: 0,
      limit: 10,
    });
    expect(inTrash.rows.map((row) => row.id)).toEqual([fx.ids.cancion]);
    const inInbox = search.run({
      query: 'cancion',
      scope: { kind: 'folder', folderId: fx.inbox.id },
      order: 'date',
      offset: 0,
      limit: 10,
    });
    expect(inInbox.total).toBe(0);
    expect(find('in:trash cancion').ids).toEqual([fx.ids.cancion]);
  });

  it('drops deleted messages from the index itself, not only from the list', () => {
    expect(find('muller').total).toBe(2);
    fx.store.transaction(() => fx.store.mailActions.remove([fx.ids.status!]));
    expect(find('muller')).toEqual({ total: 1, ids: [fx.ids.kickoff] });
    expect(find('ubersicht').total).toBe(0);
  });

  it('drops the messages of a deleted folder and of a removed account', () => {
    fx.store.transaction(() => fx.store.mailActions.deleteFolders([fx.trash.id]));
    expect(find('borealis').total).toBe(0);
    const work = fx.store.accounts.list().find((account) => account.displayName === 'Work')!;
    fx.store.transaction(() => fx.store.accounts.remove(work.id));
    expect(find('reunion').total).toBe(0);
    expect(find('muller').total).toBe(1);
  });

  it('indexes the headers of a message whose body is still on the server, and the body once it arrives', async () => {
    const id = fx.store.transaction(() =>
      fx.store.messages.insert(
        newMessage(fx.projects, 901, {
          subject: 'Tundra logistics',
          emlPath: HEADERS_ONLY_EML_PATH,
          imapUid: 77,
        }),
      ),
    );
    await indexer.schedule();
    expect(find('tundra').ids).toEqual([id]);
    expect(fx.store.search.hasBodiesOnServer()).toBe(true);
    expect(fx.store.search.hasBodiesOnServer(fx.inbox.id)).toBe(false);
    const emlPath = await fx.store.emlFiles.write(RAW('Tundra logistics', 'Reindeer schedule attached.'));
    fx.store.transaction(() => {
      const current = fx.store.messages.get(id)!;
      fx.store.messages.replaceContent(id, { ...current, emlPath });
    });
    expect(find('reindeer').total).toBe(0);
    await indexer.schedule();
    expect(find('reindeer').ids).toEqual([id]);
    expect(find('tundra').ids).toEqual([id]);
  });

  it('re-keys a message whose date changed (no stale row under the old date)', async () => {
    const before = find('after:2024-03-01 atlas');
    expect(before.ids).toEqual([fx.ids.kickoff]);
    const emlPath = await fx.store.emlFiles.write(RAW('Atlas kickoff', 'Réunion de lancement lundi.'));
    fx.store.transaction(() => {
      const current = fx.store.messages.get(fx.ids.kickoff!)!;
      fx.store.messages.replaceContent(fx.ids.kickoff!, {
        ...current,
        emlPath,
        date: new Date(2020, 0, 1).getTime(),
      });
    });
    await indexer.schedule();
    expect(find('after:2024-03-01 atlas').total).toBe(0);
    expect(find('before:2021-01-01 atlas').ids).toEqual([fx.ids.kickoff]);
    expect(find('atlas').total).toBe(2);
  });

  it('still makes the headers searchable when the stored file is missing', async () => {
    const id = fx.store.transaction(() =>
      fx.store.messages.insert(newMessage(fx.inbox, 902, { subject: 'Orphaned pelican' })),
    );
    await indexer.schedule();
    expect(find('pelican').ids).toEqual([id]);
  });

  it('rebuilds the whole index in the background, with progress', async () => {
    await indexer.schedule();
    fx.store.transaction(() => fx.store.search.resetAll());
    expect(find('muller').total).toBe(0);
    expect(fx.store.search.pendingCount()).toBe(5);
    await indexer.schedule();
    // The fixture's files do not exist: what is searchable again is what the list shows.
    expect(find('muller').total).toBe(2);
    expect(find('subject:atlas').ids).toEqual([fx.ids.kickoff]);
    expect(progress.at(-1)).toEqual({ done: 5, total: 5, state: 'done' });
  });

  it('indexes at most one batch per transaction and yields between batches', async () => {
    for (let i = 0; i < 250; i++) {
      fx.store.transaction(() =>
        fx.store.messages.insert(newMessage(fx.inbox, 1000 + i, { subject: `Batch ${i} otter` })),
      );
    }
    const pass = indexer.schedule();
    // An API call between batches gets an answer while indexing goes on.
    await new Promise((resolve) => setImmediate(resolve));
    const served = find('otter').total;
    await pass;
    expect(served).toBeLessThan(250);
    expect(find('otter').total).toBe(250);
    expect(progress.filter((p) => p.state === 'running').length).toBeGreaterThanOrEqual(3);
  });
});

describe('migration 007', () => {
  it('lists every message stored before it for indexing under the new keys', async () => {
    const dir = fx.dir.path + '/old';
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const old = openDatabase(
      `${dir}/estafeta.db`,
      MIGRATIONS.filter((m) => m.version < 7),
    );
    old.exec(
      `INSERT INTO accounts (kind, display_name, settings_json, created_at) VALUES ('local', 'L', '{}', 0)`,
    );
    old.exec(`INSERT INTO folders (account_id, name, path) VALUES (1, 'Inbox', 'Inbox')`);
    old.exec(
      `INSERT INTO messages (account_id, folder_id, subject, date_ms, received_ms, size, thread_key, eml_path)
       VALUES (1, 1, 'Legacy walrus', 1700000000000, 0, 1, 't', 'mail/00/gone.eml')`,
    );
    old.exec(`INSERT INTO messages_fts (rowid, subject) VALUES (1, 'Legacy walrus')`);
    old.close();
    const store = SqliteMailStore.open(dir);
    try {
      expect(store.search.pendingCount()).toBe(1);
      const legacy = new LocalSearch(store);
      const run = () =>
        legacy.run({ query: 'walrus', scope: { kind: 'all' }, order: 'date', offset: 0, limit: 10 });
      expect(run().total).toBe(0);
      await new BackgroundIndexer(store).schedule();
      expect(run().rows.map((row) => row.subject)).toEqual(['Legacy walrus']);
    } finally {
      store.close();
    }
  });
});

describe('snippets from the indexer parse', () => {
  it('fills an unparsed row (an IMAP body) and names its folder, and leaves a given snippet alone', async () => {
    const filled: number[][] = [];
    const withSnippets = new BackgroundIndexer(
      fx.store,
      () => undefined,
      (ids) => filled.push([...ids]),
    );
    const unparsed = await storeUnindexed('Unparsed body', 'The tide tables for Bergen.', { snippet: '' });
    const parsed = await storeUnindexed('Parsed on arrival', 'The ferry leaves at noon.', {
      snippet: 'Given when it arrived',
    });
    await withSnippets.schedule();
    await withSnippets.stop();
    expect(fx.store.messages.get(unparsed)?.snippet).toBe('The tide tables for Bergen.');
    expect(fx.store.messages.get(parsed)?.snippet).toBe('Given when it arrived');
    expect(filled).toEqual([[fx.inbox.id]]);
  });
});
