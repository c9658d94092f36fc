// "Sign in with Google/Microsoft" through the API against a local stand-in authorization server:
// the authorize URL with PKCE S256 and state, the loopback redirect, the code exchange, the account
// saved with its tokens in the vault only (never in plain text in any file of the data directory),
// the refresh of an expired access token, and the refusals (denied, unknown sign-in, no client id).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountSettingsStore } from '../../../src-main/accounts/account-settings-store';
import { AccountCredentials } from '../../../src-main/accounts/account-credentials';
import { OAuth2TokenSource, readTokens, type OAuth2Clients } from '../../../src-main/accounts/oauth2';
import { FileKeyVault } from '../../../src-main/accounts/vault';
import type { MethodName, ParamsOf, ResultOf } from '../../../src-main/api/contract';
import { composeApp, type ComposedApp } from '../../../src-main/app/compose';
import { RedactingLogger } from '../../../src-main/app/logger';
import { asAccountId } from '../../../src-main/domain/ids';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import {
  browserThatFollows,
  startAuthorizationServer,
  type AuthorizationServerStandIn,
} from '../../unit/main/accounts/oauth2/authorization-server-stand-in';
import { filesLeaking } from '../../unit/main/accounts/vault/vault-files';

let server: AuthorizationServerStandIn;
let dataDir: TempDir;
let keyDir: TempDir;

beforeEach(async () => {
  server = await startAuthorizationServer();
  [dataDir, keyDir] = await Promise.all([
    makeTempDir('estafeta-oauth2-'),
    makeTempDir('estafeta-oauth2-keys-'),
  ]);
});

afterEach(async () => {
  await server.close();
  await dataDir.remove();
  await keyDir.remove();
});

interface Running {
  app: ComposedApp;
  logger: RedactingLogger;
  opened: string[];
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  fail<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<{ code: string; message: string }>;
}

function vault(): FileKeyVault {
  return new FileKeyVault({ dataDir: dataDir.path, keyDir: keyDir.path });
}

async function start(options: { clients?: OAuth2Clients; opensBrowser?: boolean } = {}): Promise<Running> {
  const logger = new RedactingLogger({ logDir: path.join(dataDir.path, 'logs'), echo: false });
  const opened: string[] = [];
  const app = await composeApp({
    dataDir: dataDir.path,
    mode: options.opensBrowser === false ? 'browser' : 'electron',
    logger,
    filePicker: null,
    vault: vault(),
    redactSecret: (secret) => logger.redact(secret),
    oauth2: {
      clients: options.clients ?? { google: server.provider },
      ...(options.opensBrowser === false
        ? {}
        : {
            openBrowser: async (url: string) => {
              opened.push(url);
              await browserThatFollows(url);
            },
          }),
    },
  });
  const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    const reply = await app.dispatch(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as ResultOf<M>;
  };
  const fail = async <M extends MethodName>(method: M, params: ParamsOf<M>) => {
    const reply = await app.dispatch(method, params);
    if (reply.ok) throw new Error(`${method} succeeded`);
    return reply.error;
  };
  return { app, logger, opened, call, fail };
}

const EMAIL = 'ana@gmail.com';
const gmailSetup = {
  name: 'Ana',
  email: EMAIL,
  incoming: {
    protocol: 'imap' as const,
    host: 'imap.gmail.com',
    port: 993,
    security: 'tls' as const,
    username: EMAIL,
  },
  outgoing: { host: 'smtp.gmail.com', port: 465, security: 'tls' as const, username: EMAIL },
  oauth2Provider: 'google' as const,
};

describe('OAuth2 sign-in through the API', () => {
  it('signs in through the system browser with PKCE and saves the tokens in the vault only', async () => {
    const running = await start();
    const begun = await running.call('accounts.oauth2Begin', { provider: 'google', email: EMAIL });
    expect(begun.isOpened).toBe(true);
    expect(running.opened).toEqual([begun.url]);
    const authorize = new URL(begun.url);
    expect(authorize.origin + authorize.pathname).toBe(server.provider.authorizationUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: server.provider.clientId,
      code_challenge_method: 'S256',
      login_hint: EMAIL,
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/,
    );

    await running.call('accounts.oauth2Wait', { signInId: begun.signInId });
    const account = await running.call('accounts.create', { setup: gmailSetup, signInId: begun.signInId });
    expect(account).toMatchObject({ kind: 'imap', email: EMAIL });
    const { setup } = await running.call('accounts.get', { accountId: account.id });
    expect(setup.oauth2Provider).toBe('google');
    // The sign-in was used up: it cannot create a second account.
    expect(
      await running.fail('accounts.create', { setup: gmailSetup, signInId: begun.signInId }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    // The saved token goes to another server only after a new sign-in.
    const elsewhere = { ...gmailSetup, incoming: { ...gmailSetup.incoming, host: 'imap.attacker.example' } };
    expect(await running.fail('accounts.update', { accountId: account.id, setup: elsewhere })).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Sign in'),
    });
    expect(await running.fail('accounts.check', { accountId: account.id, setup: elsewhere })).toMatchObject({
      code: 'BAD_REQUEST',
    });
    // Other settings change freely.
    await running.call('accounts.update', {
      accountId: account.id,
      setup: { ...gmailSetup, signature: 'Ana', imap: { offline: 'headers' } },
    });
    expect((await running.call('accounts.get', { accountId: account.id })).setup).toMatchObject({
      signature: 'Ana',
      imap: { offline: 'headers', days: null },
      oauth2Provider: 'google',
    });
    running.logger.error('pretend bug: refresh-1 access-1');
    await running.app.close();

    expect(await readTokens(vault(), asAccountId(account.id))).toMatchObject({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
    for (const secret of ['refresh-1', 'access-1']) {
      expect(await filesLeaking(dataDir.path, secret)).toEqual([]);
    }
  });

  it('refreshes an expired access token with the refresh token and saves the new one', async () => {
    const running = await start();
    const begun = await running.call('accounts.oauth2Begin', { provider: 'google', email: EMAIL });
    await running.call('accounts.oauth2Wait', { signInId: begun.signInId });
    const account = await running.call('accounts.create', { setup: gmailSetup, signInId: begun.signInId });
    await running.app.close();

    // An hour and more later, as the sync engines ask for it.
    const later = (): number => Date.now() + 2 * 3_600_000;
    const tokens = new OAuth2TokenSource({
      vault: vault(),
      clients: { google: server.provider },
      now: later,
    });
    const { SqliteMailStore } = await import('../../../src-main/store/mail-store');
    const store = SqliteMailStore.open(dataDir.path);
    try {
      const credentials = new AccountCredentials(new AccountSettingsStore(store, vault()), tokens);
      // Two connections at once spend the refresh token once.
      const [first, second] = await Promise.all([
        credentials.authFor(asAccountId(account.id)),
        credentials.authFor(asAccountId(account.id)),
      ]);
      expect(first).toEqual({ accessToken: 'access-2' });
      expect(second).toEqual({ accessToken: 'access-2' });
      expect(server.tokenRequests.filter((form) => form.get('grant_type') === 'refresh_token')).toHaveLength(
        1,
      );
      expect(await readTokens(vault(), asAccountId(account.id))).toMatchObject({
        accessToken: 'access-2',
        refreshToken: 'refresh-1',
      });

      // A revoked refresh token: the user is asked to sign in again.
      server.tokenReply = { status: 400, body: JSON.stringify({ error: 'invalid_grant' }) };
      const expired = new OAuth2TokenSource({
        vault: vault(),
        clients: { google: server.provider },
        now: () => Date.now() + 10 * 3_600_000,
      });
      await expect(expired.accessToken(asAccountId(account.id), 'google')).rejects.toMatchObject({
        code: 'AUTH_FAILED',
      });
    } finally {
      store.close();
    }
  });

  it('in browser mode returns the URL for the page to open, and the redirect completes it', async () => {
    const running = await start({ opensBrowser: false });
    const begun = await running.call('accounts.oauth2Begin', { provider: 'google', email: EMAIL });
    expect(begun.isOpened).toBe(false);
    await browserThatFollows(begun.url);
    await running.call('accounts.oauth2Wait', { signInId: begun.signInId });
    await running.app.close();
  });

  it('reports a sign-in denied in the browser as cancelled and saves nothing', async () => {
    server.decision = 'deny';
    const running = await start();
    const begun = await running.call('accounts.oauth2Begin', { provider: 'google', email: EMAIL });
    expect(await running.fail('accounts.oauth2Wait', { signInId: begun.signInId })).toMatchObject({
      code: 'CANCELLED',
    });
    expect(
      await running.fail('accounts.create', { setup: gmailSetup, signInId: begun.signInId }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(server.tokenRequests).toHaveLength(0);
    expect((await running.call('accounts.list', {})).filter((a) => a.kind !== 'local')).toEqual([]);
    await running.app.close();
  });

  it('refuses a provider without a client id, a cancelled sign-in, and a sign-in for another provider', async () => {
    const running = await start();
    expect(
      await running.fail('accounts.oauth2Begin', { provider: 'microsoft', email: 'ana@outlook.com' }),
    ).toMatchObject({ code: 'BAD_REQUEST' });

    const begun = await running.call('accounts.oauth2Begin', { provider: 'google', email: EMAIL });
    await running.call('accounts.oauth2Wait', { signInId: begun.signInId });
    expect(
      await running.fail('accounts.create', {
        setup: { ...gmailSetup, oauth2Provider: 'microsoft' },
        signInId: begun.signInId,
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    // Without a password or a sign-in there is nothing to save.
    expect(await running.fail('accounts.create', { setup: gmailSetup })).toMatchObject({
      code: 'BAD_REQUEST',
    });
    await running.call('accounts.oauth2Cancel', { signInId: begun.signInId });
    expect(await running.fail('accounts.oauth2Wait', { signInId: begun.signInId })).toMatchObject({
      code: 'NOT_FOUND',
    });
    await running.app.close();
  });
});
