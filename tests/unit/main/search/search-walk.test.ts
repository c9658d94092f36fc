import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../../../src-main/search/query-parser';
import { planQuery } from '../../../../src-main/search/query-plan';
import { LocalSearch } from '../../../../src-main/search/search-service';
import { openSearchFixture, type SearchFixture } from './search-fixture';

/**
 * The count and first page read in one walk (SearchIndex.walk) must give exactly what count() and
 * pageIds() give: same ids, same order, same total and "more", with and without row filters.
 */
let fx: SearchFixture;
const sender = { name: 'Walker', address: 'walker@example.test' };

beforeEach(async () => {
  fx = await openSearchFixture();
  // 60 otters, every third flagged, one day apart.
  for (let i = 0; i < 60; i++) {
    fx.add(fx.inbox, {
      subject: `Otter report ${i}`,
      from: sender,
      body: i % 2 === 0 ? 'river otter' : 'sea otter',
      date: new Date(2023, 0, 1 + i),
      isFlagged: i % 3 === 0,
    });
  }
});
afterEach(async () => {
  await fx.dispose();
});

function plan(query: string) {
  const catalog = { folders: fx.store.folders.list(), accounts: fx.store.accounts.list() };
  return planQuery(parseQuery(query).root!, catalog).plan;
}

describe('SearchIndex.walk', () => {
  it('reads the same ids and count as count() and pageIds()', () => {
    for (const query of ['otter*', 'riv* otter', 'ott* -river', 'sea otter*', 'report 1*']) {
      for (const cap of [1, 5, 7, 19, 20, 21, 100]) {
        const p = plan(query);
        const walk = fx.store.search.walk(p, cap)!;
        expect(walk.count, `${query} cap ${cap}`).toEqual(fx.store.search.count(p, cap));
        const all = fx.store.search.pageIds(p, 'date', 0, 1_000);
        expect(walk.ids, `${query} cap ${cap}`).toEqual(all.slice(0, walk.ids.length));
        expect(walk.isAll).toBe(walk.ids.length === all.length);
      }
    }
  });

  it('leaves plain words, row conditions and queries without words to count()', () => {
    for (const query of ['otter', 'is:flagged otter*', 'is:flagged', 'in:inbox ott*']) {
      expect(fx.store.search.walk(plan(query), 10), query).toBeNull();
    }
  });

  it('serves the same pages with and without a walk', () => {
    const search = new LocalSearch(fx.store);
    const page = (query: string, offset: number, limit: number) =>
      search
        .run({ query, scope: { kind: 'all' }, order: 'date', offset, limit })
        .rows.map((row) => row.subject);
    const flagged = Array.from({ length: 20 }, (_, k) => `Otter report ${57 - 3 * k}`);
    const everyOtter = Array.from({ length: 60 }, (_, k) => `Otter report ${59 - k}`);
    for (const [query, expected] of [
      ['is:flagged otter', flagged],
      ['is:flagged ott*', flagged],
      ['otter*', everyOtter],
      ['ott*', everyOtter],
    ] as const) {
      expect(page(query, 0, 5), query).toEqual(expected.slice(0, 5));
      expect(page(query, 5, 10), query).toEqual(expected.slice(5, 15));
      expect(page(query, 15, 50), query).toEqual(expected.slice(15, 65));
    }
  });
});
