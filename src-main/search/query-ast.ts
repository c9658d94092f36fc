/**
 * The search query language as a tree (what query-parser.ts produces and query-plan.ts turns into
 * SQL and an FTS5 expression). Pure data: no I/O, no SQL.
 */

/** Which indexed text a word must be in: any column, or one header. */
export type TextField = 'any' | 'from' | 'to' | 'subject';

export type FlagFilter = 'unread' | 'read' | 'flagged' | 'unflagged';

export type QueryNode =
  /** Words (or one "quoted phrase") that must occur in that order; `isPrefix` for a trailing `*`. */
  | { kind: 'text'; field: TextField; text: string; isPrefix: boolean }
  | { kind: 'has-attachment' }
  | { kind: 'flag'; flag: FlagFilter }
  /** `before:` is exclusive and `after:` inclusive of the given day (as in Gmail), in local time. */
  | { kind: 'date'; bound: 'before' | 'after'; ms: number }
  | { kind: 'folder'; name: string }
  | { kind: 'account'; name: string }
  | { kind: 'not'; node: QueryNode }
  | { kind: 'and'; nodes: QueryNode[] }
  | { kind: 'or'; nodes: QueryNode[] };

/**
 * What was wrong with a query and what was done about it, as a code the UI puts in words (en, es).
 * A bad query is never an error: the rest is searched and these explain what was skipped.
 */
export type QueryProblem =
  | { code: 'unclosed-quote' }
  | { code: 'unbalanced-parenthesis' }
  | { code: 'dangling-or' }
  | { code: 'unknown-operator'; operator: string }
  | { code: 'empty-value'; operator: string }
  | { code: 'bad-value'; operator: string; value: string }
  | { code: 'bad-date'; operator: string; value: string }
  | { code: 'no-such-folder'; value: string }
  | { code: 'no-such-account'; value: string }
  | { code: 'too-many-terms'; limit: number }
  | { code: 'nothing-to-search' };

export interface ParsedQuery {
  /** Null when nothing searchable is left (empty or only skipped parts). */
  root: QueryNode | null;
  problems: QueryProblem[];
  /** Words and phrases the results must contain, for highlighting (negated ones left out). */
  highlightTerms: string[];
}
