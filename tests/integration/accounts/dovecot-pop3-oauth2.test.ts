// POP3 with OAuth2 against real Dovecot: its passdb oauth2 checks each bearer token at a local
// RFC 7662 introspection stand-in. The POP3 client signs in with the token (SASL XOAUTH2 or
// OAUTHBEARER, RFC 5034), a revoked token is refused with the server's words, "Connect" checks a
// POP3 OAuth2 account, and the POP3 engine's settings take the token from authFor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POP3_OPTIONS, type AccountConfig } from '../../../src-main/accounts/account-config';
import { MailError } from '../../../src-main/domain/errors';
import { asAccountId } from '../../../src-main/domain/ids';
import { Pop3Client } from '../../../src-main/protocols/pop3';
import { ConnectionChecker } from '../../../src-main/sync/connection-check';
import { loadPop3Settings } from '../../../src-main/sync/pop3-fetch';
import { startOAuth2MailServers, type OAuth2MailServers } from '../../support/dovecot-oauth2';
import type { MailServers } from '../../support/mail-servers';

/** Tokens the introspection stand-in calls active, and whose they are. */
const ACTIVE_TOKENS = new Map<string, string>([['pop-access-1', 'alice']]);

let oauth2: OAuth2MailServers;
let servers: MailServers;

beforeAll(async () => {
  oauth2 = await startOAuth2MailServers(ACTIVE_TOKENS);
  servers = oauth2.servers;
}, 120_000);

afterAll(async () => {
  await oauth2?.stop();
});

const trust = () => oauth2.trust();

describe('POP3 sign-in with OAuth2 against Dovecot', { timeout: 60_000 }, () => {
  it('logs in with a valid token, refuses a revoked one as AUTH_FAILED, and passwords still work', async () => {
    const client = await Pop3Client.connect({
      host: servers.host,
      port: servers.ports.pop3s,
      security: 'tls',
      username: servers.address('alice'),
      accessToken: 'pop-access-1',
      trust: trust(),
    });
    expect(['sasl-xoauth2', 'sasl-oauthbearer']).toContain(client.authMethod);
    expect(await client.stat()).toMatchObject({ count: expect.any(Number) });
    await client.quit();
    expect(oauth2.introspected).toContain('pop-access-1');

    const refused = Pop3Client.connect({
      host: servers.host,
      port: servers.ports.pop3s,
      security: 'tls',
      username: servers.address('alice'),
      accessToken: 'revoked-pop-token',
      trust: trust(),
    });
    const error = await refused.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(MailError);
    const { code, message, detail } = error as MailError;
    expect(code).toBe('AUTH_FAILED');
    // Dovecot's words (its RFC 7628 JSON error and/or "-ERR [AUTH] ..."), never the token.
    expect(detail).toContain('"status":"401"');
    expect(`${message} ${detail ?? ''}`).not.toContain('revoked-pop-token');

    const withPassword = await Pop3Client.connect({
      host: servers.host,
      port: servers.ports.pop3s,
      security: 'tls',
      username: servers.address('bob'),
      password: servers.password,
      trust: trust(),
    });
    await withPassword.quit();
  });

  it('"Connect" checks a POP3 account that signs in with a token', async () => {
    const checker = new ConnectionChecker({ trustFor: async () => trust() });
    const config = oauth2.connectConfig('pop3', 'alice');
    expect(await checker.check(config, { accessToken: 'pop-access-1' })).toMatchObject({ ok: true });
    const refused = await checker.check(config, { accessToken: 'revoked-pop-token' });
    expect(refused).toMatchObject({ ok: false, incoming: { kind: 'auth' } });
  });

  it("gives the POP3 engine the account's token from authFor, and the engine's client signs in with it", async () => {
    const accountId = asAccountId(1);
    const config: AccountConfig = {
      name: 'Alice',
      email: servers.address('alice'),
      ...oauth2.connectConfig('pop3', 'alice'),
      pop3: { ...DEFAULT_POP3_OPTIONS, leaveOnServer: true },
      signature: '',
      identities: [],
      oauth2Provider: 'google',
    };
    const { settings } = await loadPop3Settings(
      {
        config: () => config,
        authFor: async () => ({ accessToken: 'pop-access-1' }),
        trustFor: async () => trust(),
      },
      accountId,
    );
    expect(settings).toMatchObject({ accessToken: 'pop-access-1' });
    expect(settings.password).toBeUndefined();
    const client = await Pop3Client.connect({ ...settings, security: settings.security });
    await client.quit();
  });
});
