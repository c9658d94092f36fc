import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundIndexer } from '../../../../src-main/search/background-indexer';
import { LocalSearch } from '../../../../src-main/search/search-service';
import { openDatabase } from '../../../../src-main/store/db';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import { MIGRATIONS } from '../../../../src-main/store/migrations/index';
import { cjkForIndex, cjkForQuery, hasCjk } from '../../../../src-main/store/search-cjk';
import { openSearchFixture, type SearchFixture } from './search-fixture';

describe('CJK text for the index', () => {
  it('leaves text without CJK characters exactly as it was', () => {
    const latin = 'Canción de cuna, Müller & co. 2024';
    expect(hasCjk(latin)).toBe(false);
    expect(cjkForIndex(latin)).toBe(latin);
  });

  it('indexes a run as its overlapping bigrams and its last character', () => {
    expect(cjkForIndex('東京都').trim()).toBe('東京 京都 都');
    expect(cjkForIndex('東').trim()).toBe('東');
  });

  it('separates CJK runs from the Latin words around them', () => {
    expect(cjkForIndex('Tokyo東京tower').split(/\s+/).filter(Boolean)).toEqual([
      'Tokyo',
      '東京',
      '京',
      'tower',
    ]);
  });

  it('treats half-width katakana as its full-width form', () => {
    expect(cjkForIndex('ｶﾀｶﾅ').trim()).toBe(cjkForIndex('カタカナ').trim());
  });

  it('keeps characters outside the Basic Multilingual Plane whole', () => {
    // 𠮷 (U+20BB7) is two UTF-16 units; a bigram must not cut it in half.
    expect(cjkForIndex('𠮷野家').trim()).toBe('𠮷野 野家 家');
  });
});

describe('CJK text in queries', () => {
  it('asks for the bigrams of a run that may continue in the document', () => {
    expect(cjkForQuery('東京', false)).toEqual({ text: '東京', isPrefix: false });
    expect(cjkForQuery('東京都', false)).toEqual({ text: '東京 京都', isPrefix: false });
  });

  it('asks for a lone character as a prefix', () => {
    expect(cjkForQuery('東', false)).toEqual({ text: '東', isPrefix: true });
  });

  it('writes a run followed by other words exactly as indexed', () => {
    expect(cjkForQuery('東京 tower', false)).toEqual({ text: '東京 京 tower', isPrefix: false });
  });
});

describe('local search in Chinese, Japanese and Korean', () => {
  let fx: SearchFixture;
  let search: LocalSearch;
  const alice = { name: 'Alice', address: 'alice@example.test' };
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    fx = await openSearchFixture();
    search = new LocalSearch(fx.store);
    const add = (name: string, subject: string, body: string, day: number) => {
      ids[name] = fx.add(fx.inbox, { subject, from: alice, body, date: new Date(2025, 0, day) });
    };
    add('japanese', '出張の予定', '来週、東京都に行きます。よろしくお願いします。', 1);
    add('chinese', '会议通知', '我们明天在北京开会，请准时参加。', 2);
    add('korean', '회의 안내', '내일 서울에서 회의가 있습니다.', 3);
    add('mixed', 'Atlas 프로젝트 update', 'The Tokyo東京 office ships release v2.0 next week.', 4);
    add('kyoto', '旅行', '京都の寺', 5);
  });
  afterEach(async () => {
    await fx.dispose();
  });

  const found = (query: string): string[] => {
    const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
    return search
      .run({ query, scope: { kind: 'all' }, order: 'date', offset: 0, limit: 100 })
      .rows.flatMap((row) => {
        const name = byId.get(row.id);
        return name ? [name] : [];
      })
      .sort();
  };

  it('finds a Japanese word inside a longer run', () => {
    expect(found('東京')).toEqual(['japanese', 'mixed']);
    expect(found('行きます')).toEqual(['japanese']);
    expect(found('京都')).toEqual(['japanese', 'kyoto']);
    expect(found('東京都')).toEqual(['japanese']);
  });

  it('finds Chinese words in a sentence without spaces', () => {
    expect(found('北京')).toEqual(['chinese']);
    expect(found('开会')).toEqual(['chinese']);
    expect(found('subject:会议')).toEqual(['chinese']);
    expect(found('上海')).toEqual([]);
  });

  it('finds a Korean word with its particle attached', () => {
    expect(found('서울')).toEqual(['korean']);
    expect(found('회의')).toEqual(['korean']);
    expect(found('subject:프로젝트')).toEqual(['mixed']);
  });

  it('finds one character wherever it is in a run', () => {
    expect(found('都')).toEqual(['japanese', 'kyoto']);
    expect(found('寺')).toEqual(['kyoto']);
  });

  it('mixes CJK with Latin words, phrases and operators', () => {
    expect(found('東京 office')).toEqual(['mixed']);
    expect(found('"Tokyo東京 office"')).toEqual(['mixed']);
    expect(found('"東京 office"')).toEqual(['mixed']);
    expect(found('東京 -office')).toEqual(['japanese']);
    expect(found('北京 OR 서울')).toEqual(['chinese', 'korean']);
    expect(found('"京都 office"')).toEqual([]);
  });

  it('highlights the words as typed', () => {
    const outcome = search.run({
      query: '東京',
      scope: { kind: 'all' },
      order: 'date',
      offset: 0,
      limit: 10,
    });
    expect(outcome.highlightTerms).toEqual(['東京']);
  });
});

describe('migration 008', () => {
  it('lists every message indexed before it for indexing again, so CJK words become searchable', async () => {
    const fx = await openSearchFixture();
    try {
      const dir = path.join(fx.dir.path, 'old');
      mkdirSync(dir);
      const old = openDatabase(
        path.join(dir, 'estafeta.db'),
        MIGRATIONS.filter((m) => m.version < 8),
      );
      old.exec(
        `INSERT INTO accounts (kind, display_name, settings_json, created_at) VALUES ('local', 'L', '{}', 0)`,
      );
      old.exec(`INSERT INTO folders (account_id, name, path) VALUES (1, 'Inbox', 'Inbox')`);
      old.exec(
        `INSERT INTO messages (account_id, folder_id, subject, date_ms, received_ms, size, thread_key, eml_path)
         VALUES (1, 1, '東京都の会議', 1700000000000, 0, 1, 't', 'mail/00/gone.eml')`,
      );
      // Indexed the way 007 did: the run as one token, under the message's search key.
      old.exec(`DELETE FROM search_pending`);
      old.exec(`INSERT INTO messages_fts (rowid, subject) VALUES (((1700000000 << 30) | 1), '東京都の会議')`);
      old.close();
      const store = SqliteMailStore.open(dir);
      try {
        expect(store.search.pendingCount()).toBe(1);
        const search = new LocalSearch(store);
        const run = (query: string) =>
          search.run({ query, scope: { kind: 'all' }, order: 'date', offset: 0, limit: 10 });
        expect(run('東京都の会議').total).toBe(0);
        await new BackgroundIndexer(store).schedule();
        expect(store.search.pendingCount()).toBe(0);
        expect(run('東京').rows.map((row) => row.subject)).toEqual(['東京都の会議']);
        expect(run('会議').rows.map((row) => row.subject)).toEqual(['東京都の会議']);
      } finally {
        store.close();
      }
    } finally {
      await fx.dispose();
    }
  });
});
