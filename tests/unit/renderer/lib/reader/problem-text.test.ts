import { afterEach, describe, expect, it } from 'vitest';
import type { MessageProblem } from '../../../../../src-renderer/src/lib/api/contract-types';
import { problemText } from '../../../../../src-renderer/src/lib/reader/problem-text';
import { setLanguage } from '../../../../../src-renderer/src/i18n';

afterEach(() => setLanguage('en'));

/** One of every code and reason main can send (MessageProblem in reader-contract.ts). */
const EVERY_PROBLEM: MessageProblem[] = [
  ...(
    [
      'no-headers',
      'broken-structure',
      'over-limits',
      'too-many-parts',
      'header-too-large',
      'no-boundary',
      'no-parts',
    ] as const
  ).map((reason): MessageProblem => ({ code: 'not-mime', reason })),
  { code: 'raw-text-cut', shownBytes: 2 * 1024 * 1024 },
  { code: 'unreadable-date' },
  { code: 'text-conversion-failed' },
  { code: 'undecodable-characters' },
  { code: 'unclosed-multipart' },
  { code: 'empty' },
  { code: 'unreadable' },
];

describe('broken-MIME notes in the reader', () => {
  it('says each note in English, with its parameters filled in', () => {
    expect(problemText({ code: 'not-mime', reason: 'no-boundary' })).toBe(
      'This message could not be read as MIME (a multipart section has no boundary); it is shown as raw text.',
    );
    expect(problemText({ code: 'raw-text-cut', shownBytes: 2 * 1024 * 1024 })).toMatch(/\(2(\.0)? MB\)/);
  });

  it('says the same notes in Spanish when the user reads in Spanish', () => {
    setLanguage('es');
    expect(problemText({ code: 'unclosed-multipart' })).toBe(
      'El mensaje termina antes de cerrar su última parte; puede que esté cortado.',
    );
    expect(problemText({ code: 'raw-text-cut', shownBytes: 2 * 1024 * 1024 })).toMatch(/^Solo se muestra.*2/);
  });

  it('has its own distinct sentence for every code and reason, in both languages', () => {
    for (const language of ['en', 'es'] as const) {
      setLanguage(language);
      const texts = EVERY_PROBLEM.map(problemText);
      expect(new Set(texts).size).toBe(EVERY_PROBLEM.length);
      for (const text of texts) expect(text).not.toMatch(/\{|reader\.problem/);
    }
  });
});
