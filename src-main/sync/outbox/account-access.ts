/**
 * How sending reaches an account's servers: the outgoing server for submission and the incoming
 * IMAP server for the Sent and Drafts copies, built from the saved settings, the password from the
 * vault and the certificate the user pinned. Nothing here is kept: every use reads them anew, so
 * a corrected password or setting applies to the next attempt.
 */
import type { AccountConfig } from '../../accounts/account-config';
import { MailError } from '../../domain/errors';
import type { AccountId } from '../../domain/ids';
import type { TlsTrust } from '../../domain/security';
import { ImapSession } from '../../protocols/imap';
import type { SmtpSubmitterOptions } from '../../protocols/smtp';

export interface AccountAccess {
  config(accountId: AccountId): AccountConfig;
  /** The saved password or a live OAuth2 access token (accounts/account-credentials.ts). */
  authFor(accountId: AccountId): Promise<{ password: string } | { accessToken: string }>;
  trustFor(host: string, port: number): Promise<TlsTrust | undefined>;
}

export async function smtpOptionsFor(
  access: AccountAccess,
  accountId: AccountId,
): Promise<SmtpSubmitterOptions> {
  const config = access.config(accountId);
  const { host, port, security, username } = config.outgoing;
  return {
    host,
    port,
    security,
    username,
    auth: await access.authFor(accountId),
    trust: await access.trustFor(host, port),
  };
}

/** A short IMAP session of its own for APPEND and STORE; the caller logs out. */
export async function openImapFor(access: AccountAccess, accountId: AccountId): Promise<ImapSession> {
  const config = access.config(accountId);
  if (config.incoming.protocol !== 'imap') {
    throw new MailError('BAD_REQUEST', 'This account does not use IMAP.', { retryable: false });
  }
  const { host, port, security, username } = config.incoming;
  return ImapSession.connect({
    host,
    port,
    security,
    username,
    auth: await access.authFor(accountId),
    trust: await access.trustFor(host, port),
  });
}

/** Runs `work` in a fresh IMAP session and logs out whatever happens. */
export async function withImap<T>(
  access: AccountAccess,
  accountId: AccountId,
  work: (session: ImapSession) => Promise<T>,
): Promise<T> {
  const session = await openImapFor(access, accountId);
  try {
    return await work(session);
  } finally {
    await session.logout().catch(() => session.close());
  }
}
