/**
 * The 20 fixed queries of bench/search: words common and rare, phrases, every operator, OR and
 * negation; each with the closest notmuch query for the baseline (notmuch has no folders or
 * accounts in this layout and tags every new message unread, so those parts differ in meaning but
 * not in the kind of work).
 */
export interface BenchQuery {
  label: string;
  query: string;
  notmuch: string;
}

export function benchQueries(rareInvoiceNumber: string): BenchQuery[] {
  const rare = rareInvoiceNumber || '31337';
  return [
    { label: 'common word', query: 'the', notmuch: 'the' },
    { label: 'word', query: 'budget', notmuch: 'budget' },
    { label: 'two words', query: 'deadline milestone', notmuch: 'deadline AND milestone' },
    { label: 'project name', query: 'atlas', notmuch: 'atlas' },
    { label: 'rare number', query: rare, notmuch: rare },
    { label: 'rare word', query: 'rückmeldung', notmuch: 'rückmeldung' },
    { label: 'phrase', query: '"weekly status report"', notmuch: '"weekly status report"' },
    { label: 'phrase common', query: '"sales report"', notmuch: '"sales report"' },
    { label: 'prefix', query: 'budg*', notmuch: 'budg*' },
    { label: 'from:', query: 'from:zoe', notmuch: 'from:zoe' },
    { label: 'to:', query: 'to:bob', notmuch: 'to:bob' },
    { label: 'subject:', query: 'subject:incident', notmuch: 'subject:incident' },
    { label: 'has:attachment', query: 'has:attachment report', notmuch: 'tag:attachment AND report' },
    { label: 'is:unread', query: 'is:unread', notmuch: 'tag:unread' },
    { label: 'is:flagged word', query: 'is:flagged invoice', notmuch: 'tag:flagged AND invoice' },
    {
      label: 'date range',
      query: 'after:2024-01-01 before:2024-03-01 budget',
      notmuch: 'date:2024-01-01..2024-02-29 AND budget',
    },
    { label: 'in: folder', query: 'in:archive atlas', notmuch: 'atlas' },
    { label: 'OR', query: 'atlas OR borealis', notmuch: 'atlas OR borealis' },
    { label: 'negation', query: 'report -draft', notmuch: 'report AND NOT draft' },
    {
      label: 'accents + fields',
      query: 'from:jose subject:presupuesto',
      notmuch: 'from:jose AND subject:presupuesto',
    },
  ];
}
