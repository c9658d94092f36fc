// How the POP3 engine's settings get the account's credentials: only from authFor
// (AccountCredentials.authFor: a password or a live OAuth2 access token), whose errors pass on.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POP3_OPTIONS, type AccountConfig } from '../../../../../src-main/accounts/account-config';
import type { AuthMethod } from '../../../../../src-main/accounts/settings';
import { MailError } from '../../../../../src-main/domain/errors';
import { asAccountId } from '../../../../../src-main/domain/ids';
import { loadPop3Settings, type Pop3SettingsSource } from '../../../../../src-main/sync/pop3-fetch';

const ACCOUNT = asAccountId(7);

function configWith(authMethod: AuthMethod): AccountConfig {
  const server = { host: 'pop.example.com', security: 'tls' as const, username: 'alice', authMethod };
  return {
    name: 'Alice',
    email: 'alice@example.com',
    incoming: { protocol: 'pop3', port: 995, ...server },
    outgoing: { port: 465, ...server },
    pop3: { ...DEFAULT_POP3_OPTIONS },
    signature: '',
    identities: [],
    oauth2Provider: authMethod === 'oauth2' ? 'google' : null,
  };
}

function source(authMethod: AuthMethod, extra: Partial<Pop3SettingsSource> = {}): Pop3SettingsSource {
  return {
    config: () => configWith(authMethod),
    authFor: async () => ({ password: 'saved password' }),
    trustFor: async () => undefined,
    ...extra,
  };
}

describe('loadPop3Settings credentials', () => {
  it('takes an OAuth2 access token from authFor, with no password', async () => {
    const { settings } = await loadPop3Settings(
      source('oauth2', { authFor: async () => ({ accessToken: 'token-1' }) }),
      ACCOUNT,
    );
    expect(settings.accessToken).toBe('token-1');
    expect(settings.password).toBeUndefined();
  });

  it('takes a password from authFor for a password account', async () => {
    const { settings } = await loadPop3Settings(
      source('password', { authFor: async () => ({ password: 'from authFor' }) }),
      ACCOUNT,
    );
    expect(settings).toMatchObject({ password: 'from authFor' });
    expect(settings.accessToken).toBeUndefined();
  });

  it("passes on authFor's error (e.g. a refresh token the provider revoked)", async () => {
    const revoked = new MailError('AUTH_FAILED', 'Sign in again.', { retryable: false });
    await expect(
      loadPop3Settings(source('oauth2', { authFor: () => Promise.reject(revoked) }), ACCOUNT),
    ).rejects.toBe(revoked);
  });

  it('passes on a missing password as authFor reports it', async () => {
    const missing = new MailError('AUTH_FAILED', 'No password is saved for this account.', {
      retryable: false,
    });
    await expect(
      loadPop3Settings(source('password', { authFor: () => Promise.reject(missing) }), ACCOUNT),
    ).rejects.toBe(missing);
    expect((await loadPop3Settings(source('password'), ACCOUNT)).settings.password).toBe('saved password');
  });
});
