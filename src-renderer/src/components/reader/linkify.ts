/**
 * Plain-text mail with its links made clickable: the text split into plain runs and links. Only
 * http(s) URLs, "www." hosts and email addresses become links; everything stays text otherwise.
 */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** Texts longer than this are shown without links (a 2 MB log is not worth scanning). */
export const LINKIFY_MAX_CHARS = 1024 * 1024;
/** Past this many links the rest of the text stays plain. */
const MAX_LINKS = 5_000;
const CANDIDATE =
  /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?'"»”’]+$/;

function trimTrailing(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  // A closing bracket belongs to the URL only when it opened one: "(see https://x.org/a_(b))".
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
    ['<', '>'],
  ] as const) {
    while (url.endsWith(close) && url.split(open).length < url.split(close).length) {
      url = url.slice(0, -1).replace(TRAILING, '');
    }
  }
  return url;
}

function hrefOf(text: string): string {
  if (/^https?:\/\//i.test(text)) return text;
  if (/^www\./i.test(text)) return `https://${text}`;
  return `mailto:${text}`;
}

export function linkify(text: string): TextSegment[] {
  if (text.length > LINKIFY_MAX_CHARS) return [{ kind: 'text', text }];
  const segments: TextSegment[] = [];
  let last = 0;
  let links = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    if (links >= MAX_LINKS) break;
    const start = match.index;
    const linkText = trimTrailing(match[0]);
    if (linkText.length < 4) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: linkText, href: hrefOf(linkText) });
    last = start + linkText.length;
    links++;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
