/**
 * A POP3 account's saved configuration (accounts/: settings_json, the vault's password or OAuth2
 * token, a trusted certificate pin) turned into what the engine runs with. Read again before every check, so a
 * changed password or option applies at the next check without restarting anything.
 */
import type { AccountConfig } from '../../accounts/account-config';
import type { ServerAuth } from '../../accounts/account-credentials';
import type { AuthMethod } from '../../accounts/settings';
import { MailError } from '../../domain/errors';
import type { AccountId } from '../../domain/ids';
import type { TlsTrust } from '../../domain/security';
import type { Pop3AccountSettings } from './account-settings';

/** "Check for new mail every N minutes" when the account does not say. */
export const DEFAULT_CHECK_EVERY_MINUTES = 10;
export const MS_PER_MINUTE = 60_000;

export interface Pop3EngineSettings {
  settings: Pop3AccountSettings;
  intervalMs: number;
}

/** Where the engine reads an account's settings; AccountSettingsStore and CertificatePins fit it. */
export interface Pop3SettingsSource {
  config(accountId: AccountId): AccountConfig;
  password(accountId: AccountId): Promise<string | null>;
  /**
   * How the account signs in now (AccountCredentials.authFor): its password, or a live OAuth2
   * access token. Without it only password accounts can check mail.
   */
  authFor?(accountId: AccountId): Promise<ServerAuth>;
  trustFor(host: string, port: number): Promise<TlsTrust | undefined>;
}

export function intervalMsOf(config: Pick<AccountConfig, 'pop3'>): number {
  return (config.pop3.checkEveryMinutes ?? DEFAULT_CHECK_EVERY_MINUTES) * MS_PER_MINUTE;
}

/** Throws NOT_FOUND for a deleted account, BAD_REQUEST for one that is not POP3, AUTH_FAILED without credentials. */
export async function loadPop3Settings(
  source: Pop3SettingsSource,
  accountId: AccountId,
): Promise<Pop3EngineSettings> {
  const config = source.config(accountId);
  const { incoming } = config;
  if (incoming.protocol !== 'pop3') {
    throw new MailError('BAD_REQUEST', 'This account does not use POP3.', { retryable: false });
  }
  const auth = await authOf(source, accountId, incoming.authMethod);
  const trust = await source.trustFor(incoming.host, incoming.port);
  return {
    settings: {
      accountId,
      host: incoming.host,
      port: incoming.port,
      security: incoming.security,
      username: incoming.username,
      ...auth,
      ...(trust !== undefined ? { trust } : {}),
      leaveOnServer: config.pop3.leaveOnServer,
      deleteAfterDays: config.pop3.deleteAfterDays,
      deleteWhenDeletedHere: config.pop3.deleteWhenDeletedHere,
      maxMessageKb: config.pop3.maxMessageKb ?? null,
    },
    intervalMs: intervalMsOf(config),
  };
}

/** The password, or an OAuth2 access token (the client sends it with XOAUTH2/OAUTHBEARER). */
async function authOf(
  source: Pop3SettingsSource,
  accountId: AccountId,
  authMethod: AuthMethod,
): Promise<ServerAuth> {
  if (source.authFor !== undefined) return source.authFor(accountId);
  if (authMethod !== 'password') {
    throw new MailError('AUTH_FAILED', 'This account signs in through the browser; sign in again.', {
      detail: `auth method ${authMethod} without a token source`,
      retryable: false,
    });
  }
  const password = await source.password(accountId);
  if (password === null) {
    throw new MailError(
      'AUTH_FAILED',
      'No password is saved for this account. Enter it in the account settings.',
      {
        retryable: false,
      },
    );
  }
  return { password };
}
