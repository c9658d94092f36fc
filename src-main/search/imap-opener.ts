/**
 * A short IMAP session for "Search on server", from the account's saved settings, its current
 * sign-in (password or OAuth2 token) and the certificate the user trusted. Read anew on every use,
 * so a corrected setting applies at once.
 */
import { openImapFor, type AccountAccess } from '../sync/outbox/account-access';
import type { ImapOpener } from './server-search';

/** Opens the account's IMAP server the way sending does for its Sent and Drafts copies. */
export function createImapOpener(access: AccountAccess): ImapOpener {
  return (accountId) => openImapFor(access, accountId);
}
