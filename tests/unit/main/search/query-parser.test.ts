import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS, parseDay, parseQuery } from '../../../../src-main/search/query-parser';
import { ftsExpression, isFtsExpressible } from '../../../../src-main/search/fts-expression';

const day = (y: number, m: number, d: number): number => new Date(y, m - 1, d).getTime();

describe('parseQuery', () => {
  it('reads free words as an AND of words in any field', () => {
    expect(parseQuery('budget review')).toEqual({
      root: {
        kind: 'and',
        nodes: [
          { kind: 'text', field: 'any', text: 'budget', isPrefix: false },
          { kind: 'text', field: 'any', text: 'review', isPrefix: false },
        ],
      },
      problems: [],
      highlightTerms: ['budget', 'review'],
    });
  });

  it('keeps a quoted phrase together and offers it for highlighting', () => {
    const parsed = parseQuery('"weekly status report" atlas');
    expect(parsed.root).toEqual({
      kind: 'and',
      nodes: [
        { kind: 'text', field: 'any', text: 'weekly status report', isPrefix: false },
        { kind: 'text', field: 'any', text: 'atlas', isPrefix: false },
      ],
    });
    expect(parsed.highlightTerms).toEqual(['weekly status report', 'atlas']);
  });

  it('reads every operator', () => {
    const parsed = parseQuery(
      'from:zoe to:"Bob Smith" subject:invoice has:attachment is:unread is:flagged before:2024-03-01 after:2023/12/31 in:Inbox account:work',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.root).toEqual({
      kind: 'and',
      nodes: [
        { kind: 'text', field: 'from', text: 'zoe', isPrefix: false },
        { kind: 'text', field: 'to', text: 'Bob Smith', isPrefix: false },
        { kind: 'text', field: 'subject', text: 'invoice', isPrefix: false },
        { kind: 'has-attachment' },
        { kind: 'flag', flag: 'unread' },
        { kind: 'flag', flag: 'flagged' },
        { kind: 'date', bound: 'before', ms: day(2024, 3, 1) },
        { kind: 'date', bound: 'after', ms: day(2023, 12, 31) },
        { kind: 'folder', name: 'Inbox' },
        { kind: 'account', name: 'work' },
      ],
    });
  });

  it('binds OR tighter than the implicit AND, and reads groups and negations', () => {
    expect(parseQuery('atlas OR borealis -draft').root).toEqual({
      kind: 'and',
      nodes: [
        {
          kind: 'or',
          nodes: [
            { kind: 'text', field: 'any', text: 'atlas', isPrefix: false },
            { kind: 'text', field: 'any', text: 'borealis', isPrefix: false },
          ],
        },
        { kind: 'not', node: { kind: 'text', field: 'any', text: 'draft', isPrefix: false } },
      ],
    });
    expect(parseQuery('-(is:read OR has:attachment)').root).toEqual({
      kind: 'not',
      node: { kind: 'or', nodes: [{ kind: 'flag', flag: 'read' }, { kind: 'has-attachment' }] },
    });
  });

  it('leaves negated words out of the highlight terms', () => {
    expect(parseQuery('report -draft -(secret)').highlightTerms).toEqual(['report']);
  });

  it('reads a trailing * as a prefix search', () => {
    expect(parseQuery('budg*').root).toEqual({ kind: 'text', field: 'any', text: 'budg', isPrefix: true });
    expect(parseQuery('subject:inv*').root).toEqual({
      kind: 'text',
      field: 'subject',
      text: 'inv',
      isPrefix: true,
    });
  });

  it('explains bad parts gently and searches the rest', () => {
    expect(parseQuery('is:purple report').problems).toEqual([
      { code: 'bad-value', operator: 'is', value: 'purple' },
    ]);
    expect(parseQuery('before:2024-02-31 report').problems).toEqual([
      { code: 'bad-date', operator: 'before', value: '2024-02-31' },
    ]);
    expect(parseQuery('after:yesterday').problems).toEqual([
      { code: 'bad-date', operator: 'after', value: 'yesterday' },
    ]);
    expect(parseQuery('has:pictures').problems).toEqual([
      { code: 'bad-value', operator: 'has', value: 'pictures' },
    ]);
    expect(parseQuery('from: report').problems).toEqual([{ code: 'empty-value', operator: 'from' }]);
    const unknown = parseQuery('colour:red');
    expect(unknown.problems).toEqual([{ code: 'unknown-operator', operator: 'colour' }]);
    expect(unknown.root).toEqual({ kind: 'text', field: 'any', text: 'colour:red', isPrefix: false });
  });

  it('closes an unclosed quote at the end and says so', () => {
    const parsed = parseQuery('"weekly status');
    expect(parsed.root).toEqual({ kind: 'text', field: 'any', text: 'weekly status', isPrefix: false });
    expect(parsed.problems).toEqual([{ code: 'unclosed-quote' }]);
  });

  it('reports unbalanced parentheses and a dangling OR, never throwing', () => {
    expect(parseQuery('(atlas OR borealis').problems).toEqual([{ code: 'unbalanced-parenthesis' }]);
    expect(parseQuery('atlas) borealis').problems).toEqual([{ code: 'unbalanced-parenthesis' }]);
    expect(parseQuery('atlas OR').problems).toEqual([{ code: 'dangling-or' }]);
    expect(parseQuery('OR atlas').problems).toEqual([{ code: 'dangling-or' }]);
    for (const hostile of ['"', '(((', ')))', '-', '- -', 'OR OR OR', ':', 'a:', '"" ""', '*', '-(', '-"']) {
      expect(() => parseQuery(hostile)).not.toThrow();
    }
  });

  it('says when nothing searchable is left, and stays quiet for an empty box', () => {
    expect(parseQuery('&& ---').problems).toEqual([{ code: 'nothing-to-search' }]);
    expect(parseQuery('   ')).toEqual({ root: null, problems: [], highlightTerms: [] });
  });

  it('ignores terms past the limit and says so', () => {
    const parsed = parseQuery(Array.from({ length: MAX_QUERY_TERMS + 5 }, (_, i) => `w${i}`).join(' '));
    expect(parsed.root?.kind === 'and' && parsed.root.nodes.length).toBe(MAX_QUERY_TERMS);
    expect(parsed.problems).toEqual([{ code: 'too-many-terms', limit: MAX_QUERY_TERMS }]);
  });

  it('survives deep nesting', () => {
    expect(() => parseQuery(`${'('.repeat(500)}atlas${')'.repeat(500)}`)).not.toThrow();
    expect(parseQuery(`${'('.repeat(50)}atlas${')'.repeat(50)}`).root).toEqual({
      kind: 'text',
      field: 'any',
      text: 'atlas',
      isPrefix: false,
    });
  });
});

describe('parseDay', () => {
  it('accepts real dates only', () => {
    expect(parseDay('2024-02-29')).toBe(day(2024, 2, 29));
    expect(parseDay('2023-02-29')).toBeNull();
    expect(parseDay('2024-13-01')).toBeNull();
    expect(parseDay('24-01-01')).toBeNull();
  });
});

describe('ftsExpression', () => {
  it('quotes user text so FTS5 syntax in it is only words', () => {
    const root = parseQuery('NEAR(a "b" ^c').root;
    expect(root !== null && isFtsExpressible(root)).toBe(true);
    if (root) expect(ftsExpression(root)).toBe('("NEAR") AND ("a") AND ("b") AND ("^c")');
    expect(ftsExpression({ kind: 'text', field: 'any', text: 'say "hi"', isPrefix: false })).toBe(
      '"say ""hi"""',
    );
  });

  it('uses column filters for header operators', () => {
    expect(ftsExpression({ kind: 'text', field: 'to', text: 'bob', isPrefix: true })).toBe(
      '{to cc} : "bob" *',
    );
  });
});
