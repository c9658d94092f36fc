/**
 * Chinese, Japanese and Korean text for the full-text index. FTS5's unicode61 tokenizer splits words
 * at spaces and punctuation only, so "東京都に行きます" is one token and searching 東京 finds
 * nothing. Word segmentation (Intl.Segmenter) does not fix that: a dictionary may keep 東京都 as one
 * word, and a word cut differently in the document than in the query is never found. So every run
 * of CJK characters is indexed as its overlapping bigrams, plus its last character alone (the way
 * Lucene's CJK analyzer does): "東京都" -> "東京 京都 都". Any substring of two or more characters is
 * then a phrase of consecutive bigrams, and a single character is a prefix of a bigram or the last
 * character. Korean joins particles to words (서울에), so Hangul runs are treated the same way.
 * Text without CJK characters is returned unchanged.
 */

/** Characters of the scripts written without spaces between words (and Korean), plus the kana long-vowel marks. */
const CJK_CLASS = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\uFF70]`;
const CJK_CHAR = new RegExp(CJK_CLASS, 'u');
const CJK_RUN = new RegExp(`${CJK_CLASS}+`, 'gu');
/** A character unicode61 keeps in a token (letters and numbers; marks ride along with them). */
const TOKEN_CHAR = /[\p{L}\p{N}]/u;

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/**
 * The run's characters, compatibility-normalized so that half-width katakana (ｶﾀｶﾅ) and its
 * full-width form (カタカナ) are the same text, and split into code points (not UTF-16 units).
 */
function runChars(run: string): string[] {
  return Array.from(run.normalize('NFKC'));
}

function bigrams(chars: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** One run as indexed: its bigrams and its last character, or the character of a one-character run. */
function indexedRun(chars: readonly string[]): string[] {
  if (chars.length <= 1) return [...chars];
  return [...bigrams(chars), chars[chars.length - 1] ?? ''];
}

/** Text as the index stores it: every CJK run replaced by its bigrams (see above). */
export function cjkForIndex(text: string): string {
  if (!hasCjk(text)) return text;
  return text.replace(CJK_RUN, (run) => ` ${indexedRun(runChars(run)).join(' ')} `);
}

export interface CjkQueryText {
  text: string;
  /** The last token must be matched as a prefix (a lone CJK character at the end). */
  isPrefix: boolean;
}

/**
 * A word or phrase of a query as the index has it. A run followed by more words ends where the
 * document's run ends, so it is written exactly as indexed (bigrams and last character); a run at
 * the end of the text may continue in the document, so it is only its bigrams, or, for a single
 * character, a prefix. A run after other words needs nothing special: a phrase of bigrams matches
 * wherever it starts.
 */
export function cjkForQuery(text: string, isPrefix: boolean): CjkQueryText {
  if (!hasCjk(text)) return { text, isPrefix };
  let lastRunIsLoneEnd = false;
  const replaced = text.replace(CJK_RUN, (run: string, offset: number) => {
    const chars = runChars(run);
    const rest = text.slice(offset + run.length);
    const isFollowed = TOKEN_CHAR.test(rest);
    if (isFollowed) return ` ${indexedRun(chars).join(' ')} `;
    if (chars.length === 1) {
      lastRunIsLoneEnd = true;
      return ` ${chars[0]} `;
    }
    return ` ${bigrams(chars).join(' ')} `;
  });
  return { text: replaced.replace(/\s+/gu, ' ').trim(), isPrefix: isPrefix || lastRunIsLoneEnd };
}
