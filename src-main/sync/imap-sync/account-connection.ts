/**
 * An IMAP account's saved settings -> what ImapSession.connect needs and which bodies to keep:
 * host, port, security and user name from the account's configuration, the password from the
 * vault, and the trust the user decided for that server (certificate-pins.ts). Read again at every
 * connect, so a changed password is used without restarting the engine.
 */
import type { AccountConfig, ImapOptions } from '../../accounts/account-config';
import { MailError } from '../../domain/errors';
import type { AccountId } from '../../domain/ids';
import type { Logger } from '../../domain/logger';
import type { TlsTrust } from '../../domain/security';
import type { ImapAuth, ImapConnectOptions } from '../../protocols/imap';

/** What the engine reads an account's settings and sign-in from (AccountSettingsStore + AccountCredentials). */
export interface ImapAccountSource {
  config(accountId: AccountId): AccountConfig;
  /** The saved password or a fresh OAuth2 access token; AUTH_FAILED when there is none. */
  authFor(accountId: AccountId): Promise<ImapAuth>;
}

export type TrustLookup = (host: string, port: number) => Promise<TlsTrust | undefined>;

/** Which bodies are downloaded for offline reading (the account's "Offline" setting). */
export type OfflinePolicy = { kind: 'all' } | { kind: 'days'; days: number } | { kind: 'headers' };

/** "Last N days" when the account says 'days' without a number. */
export const DEFAULT_OFFLINE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export function offlinePolicyOf(options: ImapOptions | undefined): OfflinePolicy {
  switch (options?.offline ?? 'all') {
    case 'headers':
      return { kind: 'headers' };
    case 'days':
      return { kind: 'days', days: options?.days ?? DEFAULT_OFFLINE_DAYS };
    default:
      return { kind: 'all' };
  }
}

/** The oldest date whose body is kept; null: every body. */
export function bodiesSince(policy: OfflinePolicy, now: number): number | null {
  return policy.kind === 'days' ? now - policy.days * DAY_MS : null;
}

export interface ImapAccountSettings {
  connect: ImapConnectOptions;
  policy: OfflinePolicy;
}

export async function loadAccountSettings(
  accountId: AccountId,
  source: ImapAccountSource,
  trustFor: TrustLookup,
  logger: Logger | undefined,
  clientInfo: { name: string; version: string } | undefined,
): Promise<ImapAccountSettings> {
  const config = source.config(accountId);
  const { incoming } = config;
  if (incoming.protocol !== 'imap') {
    throw new MailError('BAD_REQUEST', 'This account does not use IMAP.', { retryable: false });
  }
  const auth = await source.authFor(accountId);
  return {
    connect: {
      host: incoming.host,
      port: incoming.port,
      security: incoming.security,
      username: incoming.username,
      auth,
      trust: await trustFor(incoming.host, incoming.port),
      clientInfo,
      logger,
    },
    policy: offlinePolicyOf(config.imap),
  };
}
