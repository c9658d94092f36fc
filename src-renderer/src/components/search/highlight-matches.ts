/**
 * Where the searched words are in a text, found the way the index matched them: ignoring case and
 * accents ("Muller" marks "Müller", "cancion" marks "canción"), starting at a word boundary (CJK:
 * anywhere), with
 * any run of spaces or punctuation in a phrase matching any other ("weekly status" marks
 * "weekly\nstatus"). Returns [start, end) ranges in the original text, sorted, not overlapping.
 */

/** Longest text searched for marks: beyond this the reader shows it unmarked. */
export const MAX_HIGHLIGHT_TEXT = 512 * 1024;
/** Marks per text: enough to see where the words are, bounded for a word on every line. */
export const MAX_MATCHES = 2_000;

const WORD = /[\p{L}\p{N}]/u;
/**
 * Chinese, Japanese and Korean are indexed as overlapping character pairs, so the index finds such
 * words anywhere in a run (東京 in 東京都): a term starting with one is marked wherever it occurs.
 */
const CJK_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\uFF70]/u;

interface Folded {
  text: string;
  /** For each folded character, the index of the original character it came from. */
  origin: number[];
}

/** Lower case, accents removed, every run of non-word characters made one space. */
function fold(text: string): Folded {
  let out = '';
  const origin: number[] = [];
  let inGap = false;
  let index = 0;
  for (const char of text) {
    if (WORD.test(char)) {
      const folded = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      for (const piece of folded) {
        out += piece;
        origin.push(index);
      }
      inGap = false;
    } else if (!inGap) {
      out += ' ';
      origin.push(index);
      inGap = true;
    }
    index += char.length;
  }
  return { text: out, origin };
}

export function findMatches(text: string, terms: readonly string[]): Array<[number, number]> {
  if (text.length > MAX_HIGHLIGHT_TEXT) return [];
  const folded = fold(text);
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    const needle = fold(term).text.trim();
    if (needle === '') continue;
    const isAnywhere = CJK_START.test(needle);
    let from = 0;
    while (ranges.length < MAX_MATCHES) {
      const at = folded.text.indexOf(needle, from);
      if (at === -1) break;
      from = at + 1;
      if (at > 0 && folded.text[at - 1] !== ' ' && !isAnywhere) continue;
      const start = folded.origin[at] ?? 0;
      const lastOrigin = folded.origin[at + needle.length - 1] ?? start;
      // The end is after the whole last original character (one that folded into several counts once).
      const lastChar = String.fromCodePoint(text.codePointAt(lastOrigin) ?? 0);
      ranges.push([start, lastOrigin + lastChar.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}
