/**
 * A short IMAP session for "Search on server", from the account's saved settings, its current
 * sign-in (password or OAuth2 token) and the certificate the user trusted. Read anew on every use,
 * so a corrected setting applies at once.
 */
import type { AccountConfig } from '../accounts/account-config';
import { MailError } from '../domain/errors';
import type { AccountId } from '../domain/ids';
import type { TlsTrust } from '../domain/security';
import { ImapSession, type ImapAuth } from '../protocols/imap';
import type { ImapOpener } from './server-search';

export interface ImapAccountAccess {
  config(accountId: AccountId): AccountConfig;
  authFor(accountId: AccountId): Promise<ImapAuth>;
  trustFor(host: string, port: number): Promise<TlsTrust | undefined>;
}

export function createImapOpener(access: ImapAccountAccess): ImapOpener {
  return async (accountId) => {
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
  };
}
