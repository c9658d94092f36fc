/**
 * What the POP3 engine needs to know about an account: where the server is, how to sign in, and
 * what to do with mail on the server. A plain object so account setup can build it from whatever
 * it persists (the password comes from the vault, never from the database).
 */
import { MailError } from '../../domain/errors';
import type { AccountId } from '../../domain/ids';
import type { ConnectionSecurity, TlsTrust } from '../../domain/security';

export interface Pop3AccountSettings {
  accountId: AccountId;
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  /** Exactly one of password and accessToken (an OAuth2 account's current token). */
  password?: string;
  accessToken?: string;
  trust?: TlsTrust;
  /** false (the default for POP3): download, then delete from the server. */
  leaveOnServer: boolean;
  /** With leaveOnServer: delete from the server this many days after the message first arrived here. */
  deleteAfterDays: number | null;
  /** With leaveOnServer: delete from the server once the message is deleted here. */
  deleteWhenDeletedHere: boolean;
  /** Messages larger than this are stored as headers only and downloaded in full when opened. */
  maxMessageKb: number | null;
}

/** Ten years: anything longer is "never" said with a typo. */
export const MAX_DELETE_AFTER_DAYS = 3_650;
/** 1 GiB in KB; the POP3 client refuses single messages above its own limit anyway. */
export const MAX_MESSAGE_KB_LIMIT = 1024 * 1024;
export const BYTES_PER_KB = 1024;
export const MS_PER_DAY = 24 * 60 * 60 * 1000;

function isWholeNumberIn(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Throws BAD_REQUEST for settings the engine cannot act on safely. */
export function assertValidSettings(settings: Pop3AccountSettings): void {
  const problems: string[] = [];
  if (
    settings.deleteAfterDays !== null &&
    !isWholeNumberIn(settings.deleteAfterDays, 0, MAX_DELETE_AFTER_DAYS)
  ) {
    problems.push(`deleteAfterDays ${settings.deleteAfterDays}`);
  }
  if (settings.maxMessageKb !== null && !isWholeNumberIn(settings.maxMessageKb, 1, MAX_MESSAGE_KB_LIMIT)) {
    problems.push(`maxMessageKb ${settings.maxMessageKb}`);
  }
  if (problems.length > 0) {
    throw new MailError('BAD_REQUEST', 'The POP3 account settings are not valid.', {
      detail: problems.join(', '),
      retryable: false,
    });
  }
}
