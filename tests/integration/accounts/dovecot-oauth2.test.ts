// OAuth2 against a real server: Dovecot's passdb oauth2 checks each bearer token at a local
// RFC 7662 introspection stand-in, and Postfix submission asks Dovecot. The whole path of an
// OAuth2 account is exercised: browser sign-in at the authorization stand-in, "Connect" with the
// token over IMAP (XOAUTH2/OAUTHBEARER) and SMTP (XOAUTH2), saving, and a refreshed token that
// the server accepts while the expired one is refused.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountCredentials } from '../../../src-main/accounts/account-credentials';
import { AccountSettingsStore } from '../../../src-main/accounts/account-settings-store';
import { OAuth2TokenSource } from '../../../src-main/accounts/oauth2';
import { FileKeyVault } from '../../../src-main/accounts/vault';
import type { MethodName, ParamsOf, ResultOf } from '../../../src-main/api/contract';
import { composeApp } from '../../../src-main/app/compose';
import { RedactingLogger } from '../../../src-main/app/logger';
import { asAccountId } from '../../../src-main/domain/ids';
import { ImapSession } from '../../../src-main/protocols/imap';
import { SqliteMailStore } from '../../../src-main/store/mail-store';
import { ConnectionChecker } from '../../../src-main/sync/connection-check';
import { startOAuth2MailServers, type OAuth2MailServers } from '../../support/dovecot-oauth2';
import type { MailServers } from '../../support/mail-servers';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import {
  browserThatFollows,
  startAuthorizationServer,
  type AuthorizationServerStandIn,
} from '../../unit/main/accounts/oauth2/authorization-server-stand-in';
import { filesLeaking } from '../../unit/main/accounts/vault/vault-files';

/** Tokens the introspection stand-in calls active, and whose they are. */
const ACTIVE_TOKENS = new Map<string, string>([
  ['access-1', 'alice'],
  ['access-2', 'alice'],
]);

let oauth2: OAuth2MailServers;
let authorization: AuthorizationServerStandIn;
let servers: MailServers;
const temps: TempDir[] = [];

beforeAll(async () => {
  authorization = await startAuthorizationServer();
  oauth2 = await startOAuth2MailServers(ACTIVE_TOKENS);
  servers = oauth2.servers;
}, 120_000);

afterAll(async () => {
  await oauth2?.stop();
  await authorization?.close();
  for (const temp of temps) await temp.remove();
});

const trust = () => oauth2.trust();

describe('Dovecot passdb oauth2', () => {
  it('signs in to IMAP with a valid bearer token and refuses an invalid one, while passwords still work', async () => {
    const session = await ImapSession.connect({
      host: servers.host,
      port: servers.ports.imaps,
      security: 'tls',
      username: servers.address('alice'),
      auth: { accessToken: 'access-1' },
      trust: trust(),
    });
    await session.logout();
    expect(oauth2.introspected).toContain('access-1');

    await expect(
      ImapSession.connect({
        host: servers.host,
        port: servers.ports.imaps,
        security: 'tls',
        username: servers.address('alice'),
        auth: { accessToken: 'revoked-token' },
        trust: trust(),
      }),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });

    const withPassword = await ImapSession.connect({
      host: servers.host,
      port: servers.ports.imaps,
      security: 'tls',
      username: servers.address('bob'),
      auth: { password: servers.password },
      trust: trust(),
    });
    await withPassword.logout();
  });

  it('"Connect" logs in to IMAP and SMTP submission with the token', async () => {
    const checker = new ConnectionChecker({ trustFor: async () => trust() });
    const config = oauth2.connectConfig('imap', 'alice');
    expect(await checker.check(config, { accessToken: 'access-1' })).toMatchObject({ ok: true });
    const refused = await checker.check(config, { accessToken: 'revoked-token' });
    expect(refused).toMatchObject({ ok: false, incoming: { kind: 'auth' }, outgoing: { kind: 'auth' } });
  });

  it('sets up an OAuth2 account end to end and keeps it signed in with a refreshed token', async () => {
    const dataDir = await makeTempDir('estafeta-dovecot-oauth2-');
    const keyDir = await makeTempDir('estafeta-dovecot-oauth2-keys-');
    temps.push(dataDir, keyDir);
    const vault = (): FileKeyVault => new FileKeyVault({ dataDir: dataDir.path, keyDir: keyDir.path });
    const logger = new RedactingLogger({ logDir: path.join(dataDir.path, 'logs'), echo: false });
    const app = await composeApp({
      dataDir: dataDir.path,
      mode: 'electron',
      logger,
      filePicker: null,
      vault: vault(),
      redactSecret: (secret) => logger.redact(secret),
      oauth2: { clients: { google: authorization.provider }, openBrowser: browserThatFollows },
    });
    const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
      const reply = await app.dispatch(method, params);
      if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
      return reply.result as ResultOf<M>;
    };
    const email = servers.address('alice');
    const setup = {
      name: 'Alice',
      email,
      incoming: {
        protocol: 'imap' as const,
        host: servers.host,
        port: servers.ports.imaps,
        security: 'tls' as const,
        username: email,
      },
      outgoing: {
        host: servers.host,
        port: servers.ports.submissions,
        security: 'tls' as const,
        username: email,
      },
      oauth2Provider: 'google' as const,
    };
    const { signInId } = await call('accounts.oauth2Begin', { provider: 'google', email });
    await call('accounts.oauth2Wait', { signInId });
    const first = await call('accounts.check', { setup, signInId });
    for (const outcome of [first.incoming, first.outgoing]) {
      if (outcome.certificate === null) continue;
      await call('accounts.trustCertificate', {
        host: outcome.host,
        port: outcome.port,
        fingerprint256: outcome.certificate.fingerprint256,
      });
    }
    expect(await call('accounts.check', { setup, signInId })).toMatchObject({ ok: true });
    const account = await call('accounts.create', { setup, signInId });
    // The saved account connects with its saved token, without a password.
    expect(await call('accounts.check', { setup, accountId: account.id })).toMatchObject({ ok: true });
    await app.close();

    // Hours later the access token has expired: the server refuses it, the refreshed one works.
    ACTIVE_TOKENS.delete('access-1');
    const store = SqliteMailStore.open(dataDir.path);
    try {
      const tokens = new OAuth2TokenSource({
        vault: vault(),
        clients: { google: authorization.provider },
        now: () => Date.now() + 2 * 3_600_000,
      });
      const auth = await new AccountCredentials(new AccountSettingsStore(store, vault()), tokens).authFor(
        asAccountId(account.id),
      );
      expect(auth).toEqual({ accessToken: 'access-2' });
      const session = await ImapSession.connect({
        host: servers.host,
        port: servers.ports.imaps,
        security: 'tls',
        username: email,
        auth,
        trust: trust(),
      });
      await session.logout();
    } finally {
      store.close();
      ACTIVE_TOKENS.set('access-1', 'alice');
    }
    for (const secret of ['refresh-1', 'access-1', 'access-2']) {
      expect(await filesLeaking(dataDir.path, secret)).toEqual([]);
    }
  });
});
