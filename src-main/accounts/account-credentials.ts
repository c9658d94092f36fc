import { MailError } from '../domain/errors';
import type { AccountId } from '../domain/ids';
import type { AccountSettingsStore } from './account-settings-store';
import type { OAuth2TokenSource } from './oauth2/token-source';

/**
 * How a server account signs in right now, for whatever connects (sync engines, the outbox,
 * "Connect", the upload after a switch): its saved password, or a live OAuth2 access token
 * (refreshed when it expired), which the IMAP, POP3 and SMTP adapters send with XOAUTH2/OAUTHBEARER.
 */

export type ServerAuth = { password: string } | { accessToken: string };

export class AccountCredentials {
  readonly #settings: AccountSettingsStore;
  readonly #tokens: OAuth2TokenSource;

  constructor(settings: AccountSettingsStore, tokens: OAuth2TokenSource) {
    this.#settings = settings;
    this.#tokens = tokens;
  }

  async authFor(accountId: AccountId): Promise<ServerAuth> {
    const config = this.#settings.config(accountId);
    const provider = config.oauth2Provider ?? null;
    if (provider !== null) return { accessToken: await this.#tokens.accessToken(accountId, provider) };
    const password = await this.#settings.password(accountId);
    if (password === null) {
      throw new MailError(
        'AUTH_FAILED',
        'No password is saved for this account. Enter it in Account settings.',
        {
          retryable: false,
        },
      );
    }
    return { password };
  }
}
