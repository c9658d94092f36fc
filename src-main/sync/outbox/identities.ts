/** Every From the user may send as, across server accounts, with signatures. */
import type { SqliteMailStore } from '../../store/mail-store';
import type { AccountAccess } from './account-access';
import type { ComposeIdentity } from './compose-fields';

export function listIdentities(store: SqliteMailStore, access: AccountAccess): ComposeIdentity[] {
  const identities: ComposeIdentity[] = [];
  for (const account of store.accounts.list()) {
    if (account.kind === 'local') continue;
    let config;
    try {
      config = access.config(account.id);
    } catch {
      continue; // damaged settings: this account cannot send, the others still can
    }
    identities.push({
      id: `${account.id}:0`,
      accountId: account.id,
      name: config.name,
      email: config.email,
      signature: config.signature,
    });
    config.identities.forEach((identity, index) => {
      identities.push({
        id: `${account.id}:${index + 1}`,
        accountId: account.id,
        name: identity.name,
        email: identity.email,
        signature: identity.signature,
      });
    });
  }
  return identities;
}

/** The text a new message starts with: the signature after the RFC 3676 §4.3 separator "-- ". */
export function signatureBlock(signature: string): string {
  return signature.trim() === '' ? '' : `\n\n-- \n${signature.replace(/\r\n?/g, '\n').trimEnd()}\n`;
}
