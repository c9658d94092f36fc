import { z } from 'zod';
import { MailError } from '../../domain/errors';
import type { AccountId } from '../../domain/ids';
import type { SecretVault } from '../vault/secret-vault';
import type { OAuth2Tokens } from './token-endpoint';

/**
 * An OAuth2 account's tokens in the SecretVault (encrypted like passwords; never in settings_json,
 * never logged): the refresh token that lets the app sign in again without the browser, and the
 * current access token with its expiry, so a restart does not need a refresh at once.
 */

export function oauth2Key(accountId: AccountId): string {
  return `account:${accountId}:oauth2`;
}

const StoredTokens = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).nullable(),
  expiresAt: z.number().nullable(),
});

export async function readTokens(vault: SecretVault, accountId: AccountId): Promise<OAuth2Tokens | null> {
  const text = await vault.get(oauth2Key(accountId));
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const parsed = StoredTokens.safeParse(value);
  if (!parsed.success) {
    throw new MailError('AUTH_FAILED', 'The sign-in of this account is damaged. Sign in again.', {
      retryable: false,
    });
  }
  return parsed.data;
}

export async function writeTokens(
  vault: SecretVault,
  accountId: AccountId,
  tokens: OAuth2Tokens,
): Promise<void> {
  await vault.set(oauth2Key(accountId), JSON.stringify(tokens));
}
