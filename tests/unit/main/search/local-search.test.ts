import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../../../src-main/search/query-parser';
import { planQuery } from '../../../../src-main/search/query-plan';
import { LocalSearch, type SearchRequest } from '../../../../src-main/search/search-service';
import { openSearchFixture, type SearchFixture } from './search-fixture';

let fx: SearchFixture;
let search: LocalSearch;

beforeEach(async () => {
  fx = await openSearchFixture();
  search = new LocalSearch(fx.store);
});
afterEach(async () => {
  await fx.dispose();
});

function run(query: string, options: Partial<SearchRequest> = {}) {
  return search.run({ query, scope: { kind: 'all' }, order: 'date', offset: 0, limit: 100, ...options });
}

/** The names (keys of MAILBOX) of what a query finds, in result order. */
function names(query: string, options: Partial<SearchRequest> = {}): string[] {
  const byId = new Map(Object.entries(fx.ids).map(([name, id]) => [id as number, name]));
  return run(query, options).rows.map((row) => byId.get(row.id) ?? `?${row.id}`);
}

describe('local search: words, accents, phrases', () => {
  it('finds words in any field, newest first, case- and accent-insensitively', () => {
    expect(names('cancion')).toEqual(['cancion']);
    expect(names('CANCIÓN')).toEqual(['cancion']);
    expect(names('Muller')).toEqual(['kickoff', 'status']);
    expect(names('reunion')).toEqual(['kickoff']);
    expect(names('garcia')).toEqual(['cancion']);
  });

  it('searches attachment names', () => {
    expect(names('ubersicht')).toEqual(['status']);
  });

  it('requires every word (AND) and keeps a quoted phrase together', () => {
    expect(names('weekly status')).toEqual(['draft', 'status']);
    expect(names('"weekly status report"')).toEqual(['status']);
    expect(names('"status report weekly"')).toEqual([]);
  });

  it('matches a prefix only when asked with *', () => {
    expect(names('budg')).toEqual([]);
    expect(names('budg*')).toEqual(['budget']);
  });

  it('finds nothing, without an error, for a query of only syntax', () => {
    for (const hostile of ['NEAR( "unbalanced OR *', '"', '()', '-', '{subject}:x', '^', 'AND', 'NOT NOT']) {
      expect(() => run(hostile)).not.toThrow();
    }
    expect(run('"').rows).toEqual([]);
  });
});

describe('local search: operators', () => {
  it('from:, to: (To and Cc) and subject: look only in their header', () => {
    expect(names('from:zoe')).toEqual(['kickoff', 'status']);
    expect(names('from:mueller')).toEqual(['kickoff', 'status']);
    expect(names('from:atlas')).toEqual([]);
    expect(names('to:carol')).toEqual(['status']);
    expect(names('to:bob')).toEqual(['status']);
    expect(names('subject:report')).toEqual(['draft', 'status']);
    expect(names('subject:atlas')).toEqual(['kickoff']);
    expect(names('from:"José García"')).toEqual(['cancion']);
  });

  it('has:attachment, is:unread, is:read, is:flagged', () => {
    expect(names('has:attachment')).toEqual(['status']);
    expect(names('is:unread')).toEqual(['cancion', 'budget']);
    expect(names('is:read')).toEqual(['kickoff', 'draft', 'status']);
    expect(names('is:flagged')).toEqual(['status']);
  });

  it('before: is exclusive and after: inclusive of the day', () => {
    expect(names('before:2024-01-01')).toEqual(['budget']);
    expect(names('after:2024-03-01')).toEqual(['kickoff', 'draft']);
    expect(names('after:2024-02-01 before:2024-03-01')).toEqual(['status']);
  });

  it('in: by folder name, path or role; account: by name or address', () => {
    expect(names('in:trash')).toEqual(['budget']);
    expect(names('in:Projects')).toEqual(['kickoff']);
    expect(names('in:inbox report')).toEqual(['draft', 'status']);
    expect(names('account:work')).toEqual(['kickoff']);
    expect(names('account:alice@work.example')).toEqual(['kickoff']);
    expect(names('account:local')).toEqual(['draft', 'status', 'cancion', 'budget']);
  });

  it('OR and negation, alone and combined with filters', () => {
    expect(names('atlas OR borealis')).toEqual(['kickoff', 'status', 'budget']);
    expect(names('report -draft')).toEqual(['status']);
    expect(names('-report')).toEqual(['kickoff', 'cancion', 'budget']);
    expect(names('is:unread -cancion')).toEqual(['budget']);
    expect(names('-is:read')).toEqual(['cancion', 'budget']);
    expect(names('-(atlas OR borealis) -cancion')).toEqual(['draft']);
    expect(names('status OR is:unread')).toEqual(['draft', 'status', 'cancion', 'budget']);
    expect(names('from:zoe has:attachment')).toEqual(['status']);
    expect(names('(from:bob OR from:carol) is:read')).toEqual(['draft']);
    expect(names('weekly -(status report)')).toEqual([]);
    expect(names('weekly -"status report"')).toEqual(['draft']);
    expect(names('in:inbox -is:read -garcia')).toEqual([]);
  });
});

describe('local search: bad queries get an explanation, not an error', () => {
  it('searches what it understood and names what it skipped', () => {
    const result = run('is:purple report');
    expect(result.rows.length).toBe(2);
    expect(result.problems).toEqual([{ code: 'bad-value', operator: 'is', value: 'purple' }]);
  });

  it('says when a folder or account does not exist, and finds nothing for that part', () => {
    const result = run('in:Nowhere report');
    expect(result.rows).toEqual([]);
    expect(result.problems).toEqual([{ code: 'no-such-folder', value: 'Nowhere' }]);
    expect(run('account:nobody').problems).toEqual([{ code: 'no-such-account', value: 'nobody' }]);
  });

  it('returns the highlight terms of the positive words', () => {
    expect(run('"weekly status" from:zoe -draft').highlightTerms).toEqual(['weekly status', 'zoe']);
  });
});

describe('local search: scope, order and paging', () => {
  it('searches this folder or all mail', () => {
    expect(names('report', { scope: { kind: 'folder', folderId: fx.inbox.id } })).toEqual([
      'draft',
      'status',
    ]);
    expect(names('budget', { scope: { kind: 'folder', folderId: fx.inbox.id } })).toEqual([]);
    expect(names('budget', { scope: { kind: 'folder', folderId: fx.trash.id } })).toEqual(['budget']);
  });

  it('orders by relevance on request: a subject match before a body match', () => {
    expect(names('status')).toEqual(['draft', 'status']);
    expect(names('status', { order: 'relevance' })).toEqual(['status', 'draft']);
  });

  it('pages through the results with a stable total', () => {
    const first = run('-nothingatall', { limit: 2 });
    const second = run('-nothingatall', { offset: 2, limit: 2 });
    const third = run('-nothingatall', { offset: 4, limit: 2 });
    expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
    const ids = [...first.rows, ...second.rows, ...third.rows].map((row) => row.id);
    expect(new Set(ids).size).toBe(5);
  });

  it('counts up to a cap, says there is more, and counts further for later pages', () => {
    const parsed = parseQuery('-nothingatall');
    const plan = planQuery(parsed.root!, { folders: [], accounts: [] }).plan;
    expect(fx.store.search.count(plan, 2)).toEqual({ total: 2, isCapped: true });
    expect(fx.store.search.count(plan, 5)).toEqual({ total: 5, isCapped: false });
    expect(fx.store.search.pageIds(plan, 'date', 4, 10)).toHaveLength(1);
  });

  it('sees changes made after a search (the cached result is dropped)', () => {
    expect(names('is:unread')).toEqual(['cancion', 'budget']);
    fx.store.messages.setFlags([fx.ids.cancion!], 'seen', true);
    expect(names('is:unread')).toEqual(['budget']);
  });
});
