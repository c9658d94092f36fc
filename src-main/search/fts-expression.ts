/**
 * Text parts of a query -> an FTS5 MATCH expression (https://sqlite.org/fts5.html §3). User text
 * only ever appears inside double-quoted FTS5 strings (with `"` doubled), so FTS5 syntax typed by
 * the user (NEAR, ^, column filters, stray quotes) is searched as words, never interpreted. FTS5
 * runs each string through the table's tokenizer, so "jose.garcia@empresa" becomes the phrase
 * jose garcia empresa, and accents and case fold as they did when indexing.
 */
import { cjkForQuery } from '../store/search-cjk';
import type { QueryNode, TextField } from './query-ast';

/** FTS5 column filters per field (columns of messages_fts in 001-initial.sql). */
const COLUMNS: Readonly<Record<Exclude<TextField, 'any'>, string>> = {
  from: '{from}',
  to: '{to cc}',
  subject: '{subject}',
};

type TextNode = Extract<QueryNode, { kind: 'text' }>;

export function ftsString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function ftsLeaf(node: TextNode): string {
  // Chinese, Japanese and Korean runs as the index has them (bigrams: store/search-cjk.ts).
  const { text, isPrefix } = cjkForQuery(node.text, node.isPrefix);
  const phrase = `${ftsString(text)}${isPrefix ? ' *' : ''}`;
  return node.field === 'any' ? phrase : `${COLUMNS[node.field]} : ${phrase}`;
}

/** True when the node is only text, AND, OR and NOT (FTS5 can answer it alone, given a positive part). */
export function isTextOnly(node: QueryNode): boolean {
  switch (node.kind) {
    case 'text':
      return true;
    case 'not':
      return isTextOnly(node.node);
    case 'and':
    case 'or':
      return node.nodes.every(isTextOnly);
    default:
      return false;
  }
}

/**
 * True when FTS5 can express the set of messages matching the node. FTS5's NOT is binary
 * (`a NOT b`), so a negation needs a positive sibling in an AND; an OR must be positive throughout.
 */
export function isFtsExpressible(node: QueryNode): boolean {
  switch (node.kind) {
    case 'text':
      return true;
    case 'or':
      return node.nodes.every(isFtsExpressible);
    case 'and':
      return (
        node.nodes.some(isFtsExpressible) &&
        node.nodes.every(
          (child) => isFtsExpressible(child) || (child.kind === 'not' && isFtsExpressible(child.node)),
        )
      );
    default:
      return false;
  }
}

/** The FTS5 expression of an expressible node (see isFtsExpressible). */
export function ftsExpression(node: QueryNode): string {
  switch (node.kind) {
    case 'text':
      return ftsLeaf(node);
    case 'or':
      return node.nodes.map((child) => `(${ftsExpression(child)})`).join(' OR ');
    case 'and': {
      const positive = node.nodes.filter(isFtsExpressible);
      const negative = node.nodes.flatMap((child) => (child.kind === 'not' ? [child.node] : []));
      return joinPositiveNegative(positive.map(ftsExpression), negative.map(negatedOperand));
    }
    default:
      throw new Error(`not expressible in FTS5: ${node.kind}`);
  }
}

/** `(p1) AND (p2) NOT ((n1) OR (n2))`. */
export function joinPositiveNegative(positive: readonly string[], negative: readonly string[]): string {
  const must = positive.map((part) => `(${part})`).join(' AND ');
  if (negative.length === 0) return must;
  return `(${must}) NOT (${negative.map((part) => `(${part})`).join(' OR ')})`;
}

/** What a negation inside an expressible AND excludes (expressible itself, see isFtsExpressible). */
function negatedOperand(node: QueryNode): string {
  return ftsExpression(node);
}
