import { MailError } from '../../domain/errors';
import type { AccountId } from '../../domain/ids';
import type { OAuth2Provider } from '../settings';
import type { SecretVault } from '../vault/secret-vault';
import type { OAuth2Clients } from './client-config';
import { needsRefresh, refreshTokens, type OAuth2Tokens, type TokenRequestOptions } from './token-endpoint';
import { readTokens, writeTokens } from './token-vault';

/**
 * A valid access token for an OAuth2 account, whenever a connection needs one: the stored one
 * while it lives, otherwise a new one from the refresh token (RFC 6749 §6), saved back to the
 * vault (a provider may rotate the refresh token). Refreshes of one account are serialised, so two
 * engines connecting at once do not both spend the refresh token.
 */

export interface TokenSourceOptions extends TokenRequestOptions {
  vault: SecretVault;
  clients: OAuth2Clients;
  redact?: (secret: string) => void;
}

export class OAuth2TokenSource {
  readonly #options: TokenSourceOptions;
  readonly #refreshing = new Map<AccountId, Promise<void>>();

  constructor(options: TokenSourceOptions) {
    this.#options = options;
  }

  /** Callers for one account queue behind each other, so the vault read and a refresh are one step. */
  accessToken(accountId: AccountId, provider: OAuth2Provider): Promise<string> {
    const previous = this.#refreshing.get(accountId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#current(accountId, provider));
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.#refreshing.set(accountId, tail);
    void tail.then(() => {
      if (this.#refreshing.get(accountId) === tail) this.#refreshing.delete(accountId);
    });
    return next;
  }

  async #current(accountId: AccountId, provider: OAuth2Provider): Promise<string> {
    const stored = await readTokens(this.#options.vault, accountId);
    if (stored === null) throw signInAgain('no tokens stored');
    this.#protect(stored);
    if (!needsRefresh(stored, (this.#options.now ?? Date.now)())) return stored.accessToken;
    return (await this.#refresh(accountId, provider, stored)).accessToken;
  }

  /** Saves the tokens of a new sign-in (account setup, or "Sign in again"). */
  async save(accountId: AccountId, tokens: OAuth2Tokens): Promise<void> {
    this.#protect(tokens);
    await writeTokens(this.#options.vault, accountId, tokens);
  }

  async #refresh(
    accountId: AccountId,
    provider: OAuth2Provider,
    stored: OAuth2Tokens,
  ): Promise<OAuth2Tokens> {
    const client = this.#options.clients[provider];
    if (client === undefined) throw signInAgain(`no OAuth2 client id for ${provider}`);
    if (stored.refreshToken === null) throw signInAgain('no refresh token');
    const fresh = await refreshTokens(client, stored.refreshToken, this.#options);
    await this.save(accountId, fresh);
    return fresh;
  }

  #protect(tokens: OAuth2Tokens): void {
    this.#options.redact?.(tokens.accessToken);
    if (tokens.refreshToken !== null) this.#options.redact?.(tokens.refreshToken);
  }
}

function signInAgain(detail: string): MailError {
  return new MailError('AUTH_FAILED', 'The sign-in of this account has expired. Sign in again.', {
    detail,
    retryable: false,
  });
}
