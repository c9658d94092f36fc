/** What one check did, for the caller's status line and the tests. */
import type { AccountId } from '../../domain/ids';
import { MailError } from '../../domain/errors';

export interface CheckResult {
  accountId: AccountId;
  /** Messages in the maildrop when the check began. */
  onServer: number;
  /** Whether the server has UIDL (RFC 1939 §7); without it, every message is downloaded and deleted. */
  hasUidl: boolean;
  /** New messages stored in full. */
  downloaded: number;
  /** New messages stored as headers only (above the size limit). */
  headersOnly: number;
  /** DELE accepted; QUIT applied them (RFC 1939 §6) unless `problems` says otherwise. */
  deletedFromServer: number;
  /** Stored here and left on the server. */
  keptOnServer: number;
  /** Messages the server refused to send (-ERR to RETR or TOP); tried again next time. */
  failed: number;
  /** DELEs the server refused; tried again next time. */
  deleteRefused: number;
  /** The first few problems in words for the user. */
  problems: string[];
}

/** Problems listed in a result; the counts include the rest. */
export const MAX_REPORTED_PROBLEMS = 20;

export function emptyResult(accountId: AccountId): CheckResult {
  return {
    accountId,
    onServer: 0,
    hasUidl: true,
    downloaded: 0,
    headersOnly: 0,
    deletedFromServer: 0,
    keptOnServer: 0,
    failed: 0,
    deleteRefused: 0,
    problems: [],
  };
}

export function addProblem(result: CheckResult, problem: string): void {
  if (result.problems.length < MAX_REPORTED_PROBLEMS) result.problems.push(problem);
}

/**
 * A -ERR that concerns one message only (it vanished, or the server is briefly busy with it):
 * the session stays usable, so the check goes on without that message.
 */
export function isMessageRefusal(error: unknown): error is MailError {
  return error instanceof MailError && (error.code === 'NOT_FOUND' || error.code === 'SERVER_BUSY');
}
