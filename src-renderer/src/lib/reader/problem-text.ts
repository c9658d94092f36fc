/**
 * The reader's notes on broken or hostile MIME in the user's language: main sends what went
 * wrong as a code with its parameters (MessageProblem), never English sentences.
 */
import type { MessageProblem } from '../api/contract-types';
import { t, type MessageKey } from '../../i18n';
import { formatSize } from '../../i18n/format';

type NotMimeReason = Extract<MessageProblem, { code: 'not-mime' }>['reason'];

const NOT_MIME_KEYS: Readonly<Record<NotMimeReason, MessageKey>> = {
  'no-headers': 'reader.problem.notMime.noHeaders',
  'broken-structure': 'reader.problem.notMime.brokenStructure',
  'over-limits': 'reader.problem.notMime.overLimits',
  'too-many-parts': 'reader.problem.notMime.tooManyParts',
  'header-too-large': 'reader.problem.notMime.headerTooLarge',
  'no-boundary': 'reader.problem.notMime.noBoundary',
  'no-parts': 'reader.problem.notMime.noParts',
};

function assertNever(value: never): never {
  throw new Error(`Unknown message problem: ${JSON.stringify(value)}`);
}

export function problemText(problem: MessageProblem): string {
  switch (problem.code) {
    case 'not-mime':
      return t(NOT_MIME_KEYS[problem.reason]);
    case 'raw-text-cut':
      return t('reader.problem.rawTextCut', { size: formatSize(problem.shownBytes) });
    case 'unreadable-date':
      return t('reader.problem.unreadableDate');
    case 'text-conversion-failed':
      return t('reader.problem.textConversionFailed');
    case 'undecodable-characters':
      return t('reader.problem.undecodableCharacters');
    case 'unclosed-multipart':
      return t('reader.problem.unclosedMultipart');
    case 'empty':
      return t('reader.problem.empty');
    case 'unreadable':
      return t('reader.problem.unreadable');
    default:
      return assertNever(problem);
  }
}
