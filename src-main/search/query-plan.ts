/**
 * A parsed query -> what the store runs: one FTS5 MATCH expression that drives the search when the
 * query has positive text at its top level (the fast path: FTS5 finds the candidates, SQL filters
 * them), plus SQL conditions on the messages row (`m`) for everything else. Conditions are fixed
 * SQL templates; user text and ids travel only as bound parameters.
 */
import { foldForSearch } from './fold';
import { ftsExpression, isFtsExpressible, joinPositiveNegative } from './fts-expression';
import type { QueryNode, QueryProblem } from './query-ast';
import type { SearchPlan, SqlCondition } from '../store/search';

/** What in: and account: are resolved against. */
export interface QueryCatalog {
  folders: ReadonlyArray<{ id: number; accountId: number; name: string; path: string; role: string | null }>;
  accounts: ReadonlyArray<{ id: number; displayName: string; email: string | null }>;
}

export interface PlannedQuery {
  plan: SearchPlan;
  /** Folder or account names that matched nothing (the part then matches no message). */
  problems: QueryProblem[];
}

/** Messages matching an FTS5 expression (rowids are search keys: the id is the low 30 bits). */
const FTS_SUBQUERY = 'm.id IN (SELECT rowid & 1073741823 FROM messages_fts WHERE messages_fts MATCH ?)';
const TRUE: SqlCondition = { sql: '1', params: [] };

export function folderIds(catalog: QueryCatalog, name: string): number[] {
  const wanted = foldForSearch(name);
  return catalog.folders
    .filter(
      (folder) =>
        folder.role === wanted ||
        foldForSearch(folder.name) === wanted ||
        foldForSearch(folder.path) === wanted,
    )
    .map((folder) => folder.id);
}

export function accountIds(catalog: QueryCatalog, name: string): number[] {
  const wanted = foldForSearch(name);
  return catalog.accounts
    .filter(
      (account) =>
        foldForSearch(account.displayName).includes(wanted) ||
        (account.email !== null && foldForSearch(account.email).includes(wanted)),
    )
    .map((account) => account.id);
}

class Planner {
  readonly problems: QueryProblem[] = [];

  constructor(private readonly catalog: QueryCatalog) {}

  /** Any node as one SQL condition on `m`. */
  condition(node: QueryNode): SqlCondition {
    if (isFtsExpressible(node)) return { sql: FTS_SUBQUERY, params: [ftsExpression(node)] };
    switch (node.kind) {
      case 'text':
        return { sql: FTS_SUBQUERY, params: [ftsExpression(node)] };
      case 'has-attachment':
        return { sql: 'm.has_attachments = 1', params: [] };
      case 'flag':
        switch (node.flag) {
          case 'unread':
            return { sql: 'm.is_seen = 0', params: [] };
          case 'read':
            return { sql: 'm.is_seen = 1', params: [] };
          case 'flagged':
            return { sql: 'm.is_flagged = 1', params: [] };
          case 'unflagged':
            return { sql: 'm.is_flagged = 0', params: [] };
        }
        break;
      case 'date':
        return node.bound === 'before'
          ? { sql: 'm.date_ms < ?', params: [node.ms] }
          : { sql: 'm.date_ms >= ?', params: [node.ms] };
      case 'folder': {
        const ids = folderIds(this.catalog, node.name);
        if (ids.length === 0) this.problems.push({ code: 'no-such-folder', value: node.name });
        return { sql: 'm.folder_id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
      }
      case 'account': {
        const ids = accountIds(this.catalog, node.name);
        if (ids.length === 0) this.problems.push({ code: 'no-such-account', value: node.name });
        return { sql: 'm.account_id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
      }
      case 'not': {
        const inner = this.condition(node.node);
        return { sql: `NOT (${inner.sql})`, params: inner.params };
      }
      case 'and':
      case 'or': {
        const parts = node.nodes.map((child) => this.condition(child));
        return {
          sql: parts.map((part) => `(${part.sql})`).join(node.kind === 'and' ? ' AND ' : ' OR '),
          params: parts.flatMap((part) => part.params),
        };
      }
    }
    return TRUE;
  }
}

/**
 * Splits the top-level AND: positive text parts and text negations go into one MATCH, dates into
 * one range (a rowid range of the index, see 007-search.sql); the rest becomes SQL. A query of only negations or filters has no MATCH and walks the messages table.
 */
export function planQuery(root: QueryNode, catalog: QueryCatalog): PlannedQuery {
  const planner = new Planner(catalog);
  const conjuncts = root.kind === 'and' ? root.nodes : [root];
  const positive: string[] = [];
  const negative: string[] = [];
  const rest: QueryNode[] = [];
  let fromMs: number | null = null;
  let toMs: number | null = null;
  for (const node of conjuncts) {
    if (node.kind === 'date' && node.bound === 'after') fromMs = Math.max(fromMs ?? node.ms, node.ms);
    else if (node.kind === 'date') toMs = Math.min(toMs ?? node.ms, node.ms);
    else if (isFtsExpressible(node)) positive.push(ftsExpression(node));
    else if (node.kind === 'not' && isFtsExpressible(node.node)) negative.push(ftsExpression(node.node));
    else rest.push(node);
  }
  const conditions = rest.map((node) => planner.condition(node));
  let match: string | null = null;
  if (positive.length > 0) {
    match = joinPositiveNegative(positive, negative);
  } else if (negative.length > 0) {
    conditions.push({
      sql: `NOT (${FTS_SUBQUERY})`,
      params: [negative.map((part) => `(${part})`).join(' OR ')],
    });
  }
  const dateRange = fromMs === null && toMs === null ? null : { fromMs, toMs };
  return { plan: { match, conditions, dateRange }, problems: planner.problems };
}
