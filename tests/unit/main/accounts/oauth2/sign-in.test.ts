// OAuth 2.0 sign-in of a native app (RFC 8252) against a local stand-in authorization server:
// PKCE, state, the loopback redirect, the token exchange and refresh, and every refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  REDIRECT_PATH,
  exchangeCode,
  needsRefresh,
  refreshTokens,
  signInWithBrowser,
  startLoopbackRedirect,
} from '../../../../../src-main/accounts/oauth2';
import {
  browserThatFollows,
  startAuthorizationServer,
  type AuthorizationServerStandIn,
} from './authorization-server-stand-in';

let server: AuthorizationServerStandIn;

beforeEach(async () => {
  server = await startAuthorizationServer();
});

afterEach(async () => {
  await server.close();
});

describe('signInWithBrowser', () => {
  it('signs in through the browser with PKCE and a loopback redirect, and gets tokens', async () => {
    const opened: string[] = [];
    const tokens = await signInWithBrowser({
      provider: server.provider,
      loginHint: 'ana@example.test',
      openBrowser: async (url) => {
        opened.push(url);
        await browserThatFollows(url);
      },
      now: () => 1_000,
    });
    expect(tokens).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: 1_000 + 3_600_000,
    });

    const [authorize] = server.authorizeRequests;
    expect(Object.fromEntries(authorize!)).toMatchObject({
      response_type: 'code',
      client_id: 'estafeta-test-client',
      scope: 'https://mail.example.test/',
      code_challenge_method: 'S256',
      login_hint: 'ana@example.test',
    });
    expect(authorize!.get('redirect_uri')).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+${REDIRECT_PATH}$`),
    );
    expect(authorize!.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened).toHaveLength(1);
    // The verifier travels only to the token endpoint, never through the browser.
    const verifier = server.tokenRequests[0]?.get('code_verifier') ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened[0]).not.toContain(verifier);

    // The loopback listener is gone once the code arrived.
    await expect(fetch(authorize!.get('redirect_uri') ?? '')).rejects.toThrow();
  });

  it('reports a denied sign-in as cancelled', async () => {
    server.decision = 'deny';
    await expect(
      signInWithBrowser({ provider: server.provider, openBrowser: browserThatFollows }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(server.tokenRequests).toHaveLength(0);
  });

  it('gives up when the browser never comes back', async () => {
    await expect(
      signInWithBrowser({
        provider: server.provider,
        openBrowser: async () => undefined,
        authorizationTimeoutMs: 100,
      }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('the loopback redirect', () => {
  it('ignores a redirect with the wrong state and takes the one with ours', async () => {
    const redirect = await startLoopbackRedirect('our-state-value');
    const forged = await fetch(`${redirect.redirectUri}?code=evil&state=their-state`);
    expect(forged.status).toBe(400);
    const real = await fetch(`${redirect.redirectUri}?code=good&state=our-state-value`);
    expect(real.status).toBe(200);
    expect(real.headers.get('referrer-policy')).toBe('no-referrer');
    await expect(redirect.waitForCode()).resolves.toEqual({ code: 'good' });
  });

  it('passes a provider error on without the details becoming the message', async () => {
    const redirect = await startLoopbackRedirect('s');
    await fetch(`${redirect.redirectUri}?error=server_error&error_description=boom&state=s`);
    await expect(redirect.waitForCode()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      detail: 'server_error: boom',
    });
  });
});

describe('the token endpoint', () => {
  it('refuses a code presented without its verifier (an intercepted code is useless)', async () => {
    const redirect = await startLoopbackRedirect('s');
    const authorize = new URL(server.provider.authorizationUrl);
    authorize.searchParams.set('redirect_uri', redirect.redirectUri);
    authorize.searchParams.set('state', 's');
    authorize.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    authorize.searchParams.set('client_id', server.provider.clientId);
    await browserThatFollows(authorize.href);
    const { code } = await redirect.waitForCode();
    const error = await exchangeCode(server.provider, {
      code,
      redirectUri: redirect.redirectUri,
      verifier: 'x'.repeat(43),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', detail: 'invalid_grant' });
    expect(JSON.stringify(error)).not.toContain(code);
  });

  it('refreshes the access token and keeps the refresh token the provider did not replace', async () => {
    const tokens = await refreshTokens(server.provider, 'refresh-1', { now: () => 0 });
    expect(tokens).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-1', expiresAt: 3_600_000 });
    expect(server.tokenRequests[0]?.get('grant_type')).toBe('refresh_token');
    expect(needsRefresh(tokens, 3_600_000 - 30_000)).toBe(true);
    expect(needsRefresh(tokens, 0)).toBe(false);
    await expect(refreshTokens(server.provider, 'revoked')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('refuses replies that are not bearer tokens in JSON', async () => {
    server.tokenReply = { status: 200, body: '<html>login</html>' };
    await expect(refreshTokens(server.provider, 'refresh-1')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    server.tokenReply = { status: 200, body: JSON.stringify({ access_token: 'a', token_type: 'mac' }) };
    await expect(refreshTokens(server.provider, 'refresh-1')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    server.tokenReply = { status: 200, body: JSON.stringify({ token_type: 'Bearer' }) };
    await expect(refreshTokens(server.provider, 'refresh-1')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });
});
