/**
 * The API contract's part for Search: local full-text search with operators, server search (issue 8).
 * Spread into `methods` (and `searchEvents` into `events`) in contract.ts.
 */
import { z } from 'zod';
import { ListRow } from './list-contract';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

/** Longest query accepted (search/query-parser.ts MAX_QUERY_CHARS). */
const Query = z.string().max(1_000);

/** "This folder" or "All mail". */
export const SearchScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('folder'), folderId: Id }).strict(),
]);
export type SearchScope = z.infer<typeof SearchScope>;

/**
 * What was wrong with a query, as a code the UI puts in words; the rest of the query was searched.
 * `operator`, `value` and `limit` fill the sentence where the code has them.
 */
export const QueryProblemView = z.object({
  code: z.enum([
    'unclosed-quote',
    'unbalanced-parenthesis',
    'dangling-or',
    'unknown-operator',
    'empty-value',
    'bad-value',
    'bad-date',
    'no-such-folder',
    'no-such-account',
    'too-many-terms',
    'nothing-to-search',
  ]),
  operator: z.string().optional(),
  value: z.string().optional(),
  limit: Count.optional(),
});
export type QueryProblemView = z.infer<typeof QueryProblemView>;

export const SearchResultView = z.object({
  total: Count,
  /** More messages match than `total` (counting stopped): the list says so and asks for more words. */
  hasMore: z.boolean(),
  rows: z.array(ListRow),
  /** Words and phrases to highlight in the reader (accent- and case-insensitively). */
  highlightTerms: z.array(z.string()),
  problems: z.array(QueryProblemView),
  /** The scope holds IMAP messages whose bodies are still on the server: offer "Search on server". */
  canSearchServer: z.boolean(),
  /** Messages a server search added to these results. */
  serverMatches: Count,
});
export type SearchResultView = z.infer<typeof SearchResultView>;

export const searchMethods = {
  /** One page of a query's results (the whole result is computed once and kept for paging). */
  'search.run': {
    params: z
      .object({
        query: Query,
        scope: SearchScope,
        order: z.enum(['date', 'relevance']).default('date'),
        offset: Count.max(10_000_000),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    result: SearchResultView,
  },
  /**
   * Runs the query as IMAP SEARCH (RFC 3501 §6.4.4) on the servers of the IMAP folders in scope;
   * matches are added to later `search.run` results of the same query and scope.
   */
  'search.server': {
    params: z.object({ query: Query, scope: SearchScope }).strict(),
    result: z.object({
      /** Messages found on the servers that are here (headers at least). */
      found: Count,
      searchedFolders: Count,
      /** Per account that could not be searched, in words for the user. */
      failures: z.array(z.string()),
    }),
  },
  /** Empties the index and rebuilds it in the background (progress: `search.progress`). */
  'search.rebuild': { params: z.object({}).strict(), result: z.object({ queued: Count }) },
  /** Messages still waiting to be indexed. */
  'search.status': { params: z.object({}).strict(), result: z.object({ pending: Count }) },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const searchEvents = {
  /** Background indexing (new mail, a rebuild): `done` of `total` messages. */
  'search.progress': z.object({
    done: Count,
    total: Count,
    state: z.enum(['running', 'done', 'failed']),
  }),
} as const satisfies Record<string, z.ZodType>;
