/**
 * A POP3 account's saved configuration (accounts/: settings_json, the vault's password or OAuth2
 * token, a trusted certificate pin) turned into what the engine runs with. Read again before every check, so a
 * changed password or option applies at the next check without restarting anything.
 */
import type { AccountConfig } from '../../accounts/account-config';
import type { ServerAuth } from '../../accounts/account-credentials';
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

/** Where the engine reads an account's settings; AccountSettingsStore, AccountCredentials and CertificatePins fit it. */
export interface Pop3SettingsSource {
  config(accountId: AccountId): AccountConfig;
  /**
   * How the account signs in now (AccountCredentials.authFor): its saved password, or a live
   * OAuth2 access token; it throws AUTH_FAILED when there is neither.
   */
  authFor(accountId: AccountId): Promise<ServerAuth>;
  trustFor(host: string, port: number): Promise<TlsTrust | undefined>;
}

export function intervalMsOf(config: Pick<AccountConfig, 'pop3'>): number {
  return (config.pop3.checkEveryMinutes ?? DEFAULT_CHECK_EVERY_MINUTES) * MS_PER_MINUTE;
}

/** Throws NOT_FOUND for a deleted account, BAD_REQUEST for one that is not POP3, AUTH_FAILED without credentials (authFor). */
export async function loadPop3Settings(
  source: Pop3SettingsSource,
  accountId: AccountId,
): Promise<Pop3EngineSettings> {
  const config = source.config(accountId);
  const { incoming } = config;
  if (incoming.protocol !== 'pop3') {
    throw new MailError('BAD_REQUEST', 'This account does not use POP3.', { retryable: false });
  }
  const auth = await source.authFor(accountId);
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
