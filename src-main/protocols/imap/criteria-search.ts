import type { SearchObject } from 'imapflow';
import type { ImapSession } from './session';

/**
 * UID SEARCH with criteria (RFC 3501 §6.4.4) in one mailbox: what "Search on server" asks when
 * bodies are not downloaded. The criteria are our own shape, so imapflow's types stay in this folder.
 * Text criteria are substring matches on the server (RFC 3501: "contains the specified string"),
 * case-insensitive per the server's comparator; CHARSET UTF-8 is sent for non-ASCII text by imapflow.
 */
export type ServerCriterion =
  | { kind: 'text'; field: 'text' | 'from' | 'to' | 'cc' | 'subject' | 'body'; value: string }
  | { kind: 'seen'; value: boolean }
  | { kind: 'flagged'; value: boolean }
  /** BEFORE and SINCE compare the internal date by day (RFC 3501 §6.4.4). */
  | { kind: 'before' | 'since'; date: Date }
  /** A multipart/mixed Content-Type: the usual shape of mail with attachments (an approximation). */
  | { kind: 'has-attachment' }
  | { kind: 'all' }
  | { kind: 'not'; criterion: ServerCriterion }
  | { kind: 'and' | 'or'; criteria: ServerCriterion[] };

/**
 * An AND of search objects. Keys of one object are ANDed by the server, so objects with distinct
 * keys merge; a repeated key goes into a nested group: `or` with one operand is a parenthesised
 * group, and `not: { not: x }` is x (RFC 3501 §6.4.4 search keys compose).
 */
function allOf(items: readonly SearchObject[]): SearchObject {
  const merged: SearchObject = {};
  const leftover: SearchObject[] = [];
  for (const item of items) {
    if (Object.keys(item).some((key) => key in merged)) leftover.push(item);
    else Object.assign(merged, item);
  }
  if (leftover.length === 0) return merged;
  const rest = allOf(leftover);
  if (!('or' in merged)) return { ...merged, or: [rest] };
  if (!('not' in merged)) return { ...merged, not: { not: rest } };
  return { or: [merged], not: { not: rest } };
}

export function toSearchObject(criterion: ServerCriterion): SearchObject {
  switch (criterion.kind) {
    case 'text':
      return { [criterion.field]: criterion.value };
    case 'seen':
      return { seen: criterion.value };
    case 'flagged':
      return { flagged: criterion.value };
    case 'before':
      return { before: criterion.date };
    case 'since':
      return { since: criterion.date };
    case 'has-attachment':
      return { header: { 'Content-Type': 'multipart/mixed' } };
    case 'all':
      return { all: true };
    case 'not':
      return { not: toSearchObject(criterion.criterion) };
    case 'and':
      return criterion.criteria.length === 0 ? { all: true } : allOf(criterion.criteria.map(toSearchObject));
    case 'or':
      if (criterion.criteria.length === 0) return { all: true };
      if (criterion.criteria.length === 1) return toSearchObject(criterion.criteria[0] ?? { kind: 'all' });
      return { or: criterion.criteria.map(toSearchObject) };
  }
}

/** The UIDs in `path` matching the criterion. */
export async function searchMailbox(
  session: ImapSession,
  path: string,
  criterion: ServerCriterion,
): Promise<number[]> {
  return session.withMailbox(path, async () => {
    const result = await session.command((client) => client.search(toSearchObject(criterion), { uid: true }));
    if (result === false || result === undefined) throw session.refused('UID SEARCH');
    return result;
  });
}
