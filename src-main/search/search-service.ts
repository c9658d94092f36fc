/**
 * Local search as the API offers it: parse the query, plan it against the current folders and
 * accounts, count the matches once, and read pages on demand (each page is a walk of the index that
 * stops after the page: see store/search.ts). The plan and count of recent queries are kept while
 * the store's change stamp says nothing changed, so scrolling does not recount.
 */
import type { MessageSummary } from '../domain/message';
import type { FolderId } from '../domain/ids';
import { asFolderId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import type { SearchCount, SearchOrder, SearchPlan, SearchWalk } from '../store/search';
import type { QueryProblem } from './query-ast';
import { parseQuery } from './query-parser';
import { planQuery, type QueryCatalog } from './query-plan';

export type SearchScope = { kind: 'all' } | { kind: 'folder'; folderId: number };

export interface SearchRequest {
  query: string;
  scope: SearchScope;
  order: SearchOrder;
  offset: number;
  limit: number;
}

export interface SearchOutcome {
  total: number;
  rows: MessageSummary[];
  highlightTerms: string[];
  problems: QueryProblem[];
  /** The scope holds IMAP messages whose bodies are still on the server ("Search on server"). */
  canSearchServer: boolean;
  /** Results that came from a server search (already part of total). */
  serverMatches: number;
  /** There are more results than `total` (counting stopped at MAX_COUNTED). */
  hasMore: boolean;
}

/** Queries whose plan and count are kept, for paging back and forth without recounting. */
const MAX_CACHED_QUERIES = 8;
/**
 * Results counted ahead of the page asked for. The first answer says "2,000+" rather than count
 * every unread message; scrolling on asks for pages further down, which count further.
 */
export const COUNT_AHEAD = 1_000;

interface PreparedQuery {
  stamp: number;
  plan: SearchPlan | null;
  count: SearchCount;
  /** The cap `count` was taken with. */
  countCap: number;
  /** The first results, read with the count in one walk (newest first only). */
  walk: SearchWalk | null;
  highlightTerms: string[];
  problems: QueryProblem[];
  /** Set when a server search added results: the whole merged list, in order. */
  mergedIds: number[] | null;
  serverMatches: number;
}

export type SearchStore = Pick<SqliteMailStore, 'search' | 'folders' | 'accounts'>;

export function searchKey(query: string, scope: SearchScope): string {
  return JSON.stringify([query.trim(), scope.kind === 'all' ? 0 : scope.folderId]);
}

/** Small insertion-ordered LRU. */
class RecentMap<V> {
  readonly #entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

export class LocalSearch {
  readonly #store: SearchStore;
  readonly #prepared = new RecentMap<PreparedQuery>(MAX_CACHED_QUERIES);
  /** Message ids a server search found, per query and scope, merged into later local results. */
  readonly #serverFound = new RecentMap<ReadonlySet<number>>(MAX_CACHED_QUERIES);

  constructor(store: SearchStore) {
    this.#store = store;
  }

  run(request: SearchRequest): SearchOutcome {
    const folderId = request.scope.kind === 'folder' ? asFolderId(request.scope.folderId) : undefined;
    const prepared = this.#prepare(request, folderId);
    let pageIds: number[] = [];
    if (prepared.mergedIds !== null) {
      pageIds = prepared.mergedIds.slice(request.offset, request.offset + request.limit);
    } else if (
      prepared.walk !== null &&
      (prepared.walk.isAll || request.offset + request.limit <= prepared.walk.ids.length)
    ) {
      pageIds = prepared.walk.ids.slice(request.offset, request.offset + request.limit);
    } else if (prepared.plan !== null && request.offset < prepared.count.total) {
      pageIds = this.#store.search.pageIds(
        prepared.plan,
        request.order,
        request.offset,
        request.limit,
        folderId,
      );
    }
    return {
      total: prepared.count.total,
      hasMore: prepared.count.isCapped,
      rows: this.#store.search.rowsByIds(pageIds),
      highlightTerms: prepared.highlightTerms,
      problems: prepared.problems,
      canSearchServer: this.#store.search.hasBodiesOnServer(folderId),
      serverMatches: prepared.serverMatches,
    };
  }

  /** Adds what a server search found to this query's results (see ServerSearch). */
  addServerMatches(query: string, scope: SearchScope, messageIds: readonly number[]): void {
    const key = searchKey(query, scope);
    const known = this.#serverFound.get(key) ?? new Set<number>();
    this.#serverFound.set(key, new Set([...known, ...messageIds]));
  }

  #catalog(): QueryCatalog {
    return { folders: this.#store.folders.list(), accounts: this.#store.accounts.list() };
  }

  /** Parse, plan and count once per query, scope and order while the store does not change. */
  #prepare(request: SearchRequest, folderId: FolderId | undefined): PreparedQuery {
    const stamp = this.#store.search.changeStamp();
    const key = `${searchKey(request.query, request.scope)}|${request.order}`;
    const serverFound = this.#serverFound.get(searchKey(request.query, request.scope));
    const serverMatches = serverFound?.size ?? 0;
    const cap = request.offset + request.limit + COUNT_AHEAD;
    const cached = this.#prepared.get(key);
    if (cached && cached.stamp === stamp && cached.serverMatches === serverMatches) {
      // Scrolled past what was counted: count further (the plan stays).
      if (
        cached.plan !== null &&
        cached.mergedIds === null &&
        cached.count.isCapped &&
        cached.countCap < cap
      ) {
        cached.count = this.#store.search.count(cached.plan, cap, folderId);
        cached.countCap = cap;
      }
      return cached;
    }

    const parsed = parseQuery(request.query);
    const problems = [...parsed.problems];
    let plan: SearchPlan | null = null;
    if (parsed.root !== null) {
      const planned = planQuery(parsed.root, this.#catalog());
      problems.push(...planned.problems);
      plan = planned.plan;
    }
    // Newest first, the count and the first pages come from one walk of the index.
    const walk =
      plan !== null && request.order === 'date' && !(serverFound && serverMatches > 0)
        ? this.#store.search.walk(plan, cap, folderId)
        : null;
    let count: SearchCount =
      walk?.count ??
      (plan === null ? { total: 0, isCapped: false } : this.#store.search.count(plan, cap, folderId));
    let mergedIds: number[] | null = null;
    if (serverFound && serverMatches > 0) {
      const local = plan === null ? [] : this.#store.search.allIds(plan, request.order, folderId);
      mergedIds = this.#merge(local, serverFound, request.order);
      count = { total: mergedIds.length, isCapped: false };
    }
    const prepared: PreparedQuery = {
      stamp,
      plan,
      count,
      countCap: cap,
      walk,
      highlightTerms: parsed.highlightTerms,
      problems,
      mergedIds,
      serverMatches,
    };
    this.#prepared.set(key, prepared);
    return prepared;
  }

  /** Local results plus server ones not among them: by date, or server ones after the ranked list. */
  #merge(local: number[], server: ReadonlySet<number>, order: SearchOrder): number[] {
    const seen = new Set(local);
    const extra = [...server].filter((id) => !seen.has(id));
    if (extra.length === 0) return local;
    if (order === 'relevance') return [...local, ...this.#store.search.sortByDate(extra)];
    return this.#store.search.sortByDate([...local, ...extra]);
  }
}
