/**
 * The search box language -> a QueryNode tree, with gentle explanations instead of errors:
 *
 *   words "quoted phrases" word*          every part must match (AND), in any indexed text
 *   a OR b, (a b) OR c, -word, -(a OR b)  alternatives, grouping, negation
 *   from: to: subject:                    words in that header (to: covers To and Cc)
 *   has:attachment  is:unread|read|flagged|unflagged
 *   before:YYYY-MM-DD (exclusive)  after:YYYY-MM-DD (inclusive)
 *   in:<folder name or role>  account:<name or address>
 *
 * OR binds tighter than the implicit AND (`a b OR c` is a AND (b OR c)), as in Gmail.
 */
import type { FlagFilter, ParsedQuery, QueryNode, QueryProblem, TextField } from './query-ast';
import { lexQuery, type QueryToken } from './query-lexer';

/** Terms beyond this are ignored: a pasted paragraph is not a search (and FTS5 work grows with it). */
export const MAX_QUERY_TERMS = 32;
/** Parentheses nested deeper than this are read as if flat (bounds the recursion). */
export const MAX_GROUP_DEPTH = 8;
/** Longest query text read; the API refuses longer ones. */
export const MAX_QUERY_CHARS = 1_000;

const TEXT_FIELDS: Readonly<Record<string, TextField>> = {
  from: 'from',
  to: 'to',
  subject: 'subject',
};

const FLAG_VALUES: Readonly<Record<string, FlagFilter>> = {
  unread: 'unread',
  unseen: 'unread',
  new: 'unread',
  read: 'read',
  seen: 'read',
  flagged: 'flagged',
  starred: 'flagged',
  unflagged: 'unflagged',
};

const ATTACHMENT_VALUES = new Set(['attachment', 'attachments', 'file', 'files']);

/** Does a word hold anything the index keeps (letters or digits)? "&" or "--" alone do not. */
export function hasSearchableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** The start of a local calendar day, from YYYY-MM-DD or YYYY/MM/DD; null when not a real date. */
export function parseDay(value: string): number | null {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  // new Date rolls 2024-02-31 over into March: refuse such dates instead.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date.getTime();
}

class Parser {
  readonly problems: QueryProblem[] = [];
  readonly highlightTerms: string[] = [];
  #position = 0;
  #terms = 0;
  readonly #reported = new Set<string>();

  constructor(private readonly tokens: readonly QueryToken[]) {}

  report(problem: QueryProblem): void {
    const key = JSON.stringify(problem);
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.problems.push(problem);
  }

  parseAll(): QueryNode | null {
    const nodes: QueryNode[] = [];
    while (this.#position < this.tokens.length) {
      const token = this.tokens[this.#position];
      if (token?.kind === 'close') {
        this.report({ code: 'unbalanced-parenthesis' });
        this.#position += 1;
        continue;
      }
      const node = this.#parseDisjunction(0, false);
      if (node) nodes.push(node);
    }
    return combine('and', nodes);
  }

  /** Items up to the matching ")" (consumed) or the end (reported). */
  #parseGroup(depth: number, isNegated: boolean): QueryNode | null {
    const nodes: QueryNode[] = [];
    for (;;) {
      const token = this.tokens[this.#position];
      if (token === undefined) {
        this.report({ code: 'unbalanced-parenthesis' });
        break;
      }
      if (token.kind === 'close') {
        this.#position += 1;
        break;
      }
      const node = this.#parseDisjunction(depth, isNegated);
      if (node) nodes.push(node);
    }
    return combine('and', nodes);
  }

  #parseDisjunction(depth: number, isNegated: boolean): QueryNode | null {
    const first = this.#parseUnit(depth, isNegated);
    const alternatives = first ? [first] : [];
    while (this.tokens[this.#position]?.kind === 'or') {
      this.#position += 1;
      const next = this.tokens[this.#position];
      if (next === undefined || next.kind === 'close' || next.kind === 'or' || alternatives.length === 0) {
        this.report({ code: 'dangling-or' });
        if (alternatives.length === 0) return null;
        continue;
      }
      const node = this.#parseUnit(depth, isNegated);
      if (node) alternatives.push(node);
    }
    return combine('or', alternatives);
  }

  #parseUnit(depth: number, isNegated: boolean): QueryNode | null {
    const token = this.tokens[this.#position];
    if (token === undefined) return null;
    this.#position += 1;
    switch (token.kind) {
      case 'or':
        // Only reached for a leading OR (a disjunction consumes the ones after an item).
        this.report({ code: 'dangling-or' });
        return null;
      case 'close':
        this.#position -= 1;
        return null;
      case 'open':
      case 'not-open': {
        const negated = token.kind === 'not-open';
        // Too deep: the group's contents are still read, just without a new level of nesting.
        const group = this.#parseGroup(Math.min(depth + 1, MAX_GROUP_DEPTH), isNegated !== negated);
        if (group === null) return null;
        return negated ? { kind: 'not', node: group } : group;
      }
      case 'term': {
        const leaf = this.#leaf(token, isNegated !== token.isNegated);
        if (leaf === null) return null;
        return token.isNegated ? { kind: 'not', node: leaf } : leaf;
      }
    }
  }

  /** One term -> a leaf, or null (reported) when it has nothing usable. */
  #leaf(token: Extract<QueryToken, { kind: 'term' }>, isEffectivelyNegated: boolean): QueryNode | null {
    if (this.#terms >= MAX_QUERY_TERMS) {
      this.report({ code: 'too-many-terms', limit: MAX_QUERY_TERMS });
      return null;
    }
    const operator = token.operator;
    const value = token.value.trim();
    if (operator !== null && value === '' && operator in KNOWN_OPERATORS) {
      this.report({ code: 'empty-value', operator });
      return null;
    }
    const leaf = this.#operatorLeaf(operator, value, token, isEffectivelyNegated);
    if (leaf !== null) this.#terms += 1;
    return leaf;
  }

  #operatorLeaf(
    operator: string | null,
    value: string,
    token: Extract<QueryToken, { kind: 'term' }>,
    isEffectivelyNegated: boolean,
  ): QueryNode | null {
    const lower = value.toLowerCase();
    switch (operator) {
      case null:
        return this.#text('any', value, token.isPrefix, isEffectivelyNegated);
      case 'from':
      case 'to':
      case 'subject':
        return this.#text(TEXT_FIELDS[operator] ?? 'any', value, token.isPrefix, isEffectivelyNegated);
      case 'has':
        if (ATTACHMENT_VALUES.has(lower)) return { kind: 'has-attachment' };
        this.report({ code: 'bad-value', operator, value });
        return null;
      case 'is': {
        const flag = FLAG_VALUES[lower];
        if (flag) return { kind: 'flag', flag };
        this.report({ code: 'bad-value', operator, value });
        return null;
      }
      case 'before':
      case 'after': {
        const ms = parseDay(value);
        if (ms !== null) return { kind: 'date', bound: operator, ms };
        this.report({ code: 'bad-date', operator, value });
        return null;
      }
      case 'in':
        return { kind: 'folder', name: value };
      case 'account':
        return { kind: 'account', name: value };
      default: {
        // Not an operator we know: search the whole thing as words, and say so.
        this.report({ code: 'unknown-operator', operator });
        return this.#text('any', `${operator}:${value}`, token.isPrefix, isEffectivelyNegated);
      }
    }
  }

  #text(field: TextField, text: string, isPrefix: boolean, isNegated: boolean): QueryNode | null {
    if (!hasSearchableText(text)) return null;
    if (!isNegated && !this.highlightTerms.includes(text)) this.highlightTerms.push(text);
    return { kind: 'text', field, text, isPrefix };
  }
}

const KNOWN_OPERATORS: Readonly<Record<string, true>> = {
  from: true,
  to: true,
  subject: true,
  has: true,
  is: true,
  before: true,
  after: true,
  in: true,
  account: true,
};

/** One node for a list: nothing, the node itself, or an and/or of them (nested ones flattened). */
function combine(kind: 'and' | 'or', nodes: QueryNode[]): QueryNode | null {
  const flat = nodes.flatMap((node) => (node.kind === kind ? node.nodes : [node]));
  if (flat.length === 0) return null;
  if (flat.length === 1) return flat[0] ?? null;
  return { kind, nodes: flat };
}

export function parseQuery(text: string): ParsedQuery {
  const { tokens, hasUnclosedQuote } = lexQuery(text.slice(0, MAX_QUERY_CHARS));
  const parser = new Parser(tokens);
  if (hasUnclosedQuote) parser.report({ code: 'unclosed-quote' });
  const root = parser.parseAll();
  if (root === null && text.trim() !== '' && parser.problems.length === 0) {
    parser.report({ code: 'nothing-to-search' });
  }
  return { root, problems: parser.problems, highlightTerms: parser.highlightTerms };
}
