import { MailError } from '../../domain/errors';

/**
 * Rejects with MailError('CANCELLED') as soon as `signal` aborts, even when `work` itself ignores
 * the signal (a DNS query, a third-party probe): a lookup that never answers must not hold up
 * discovery past its deadline. A late rejection of `work` is absorbed.
 */
export function settleBeforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function cancelled(): MailError {
  return new MailError('CANCELLED', 'Looking up the server settings was cancelled.');
}

/**
 * Given lookups that were all started at once and listed by precedence, resolves with the answer of
 * the highest-precedence lookup that has one. It waits for a higher lookup (until it settles, which
 * the deadline guarantees) before accepting a lower one, and returns as soon as every lookup above
 * an answer has given up: a slow low-precedence lookup never delays a better answer. A lookup that
 * fails counts as having no answer.
 */
export async function firstByPrecedence<T>(lookups: readonly Promise<T | null>[]): Promise<T | null> {
  const settled = lookups.map((lookup) => lookup.catch(() => null));
  for (const lookup of settled) {
    const answer = await lookup;
    if (answer !== null) return answer;
  }
  return null;
}
