/** The one-line preview under a message in the list. */
export const SNIPPET_MAX_CHARS = 200;

/**
 * The first words of what the sender wrote: quoted lines ("> ...", RFC 3676 §4.5) and the
 * "On ... wrote:" line that introduces them are skipped, white space is collapsed.
 */
export function makeSnippet(text: string): string {
  const lines: string[] = [];
  let length = 0;
  for (const line of text.split(/\r?\n/, 400)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('>')) continue;
    if (/^(on|am|le|el)\b.{0,200}(wrote|schrieb|a écrit|escribió)\s*:$/i.test(trimmed)) continue;
    lines.push(trimmed);
    length += trimmed.length + 1;
    if (length > SNIPPET_MAX_CHARS) break;
  }
  const joined = lines.join(' ').replace(/\s+/g, ' ').trim();
  return joined.length > SNIPPET_MAX_CHARS ? `${joined.slice(0, SNIPPET_MAX_CHARS - 1)}…` : joined;
}
